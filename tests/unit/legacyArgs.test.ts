// The CLI's old words keep scripts working: `tenants` is `orgs`, `--tenant` is `--org`, and `tenants add --org NAME`
// names the organisation's URL segment, today `--org-name`.
import { describe, expect, it } from 'vitest';
import { legacyArgs } from '../../src/cli/legacyArgs';

const run = (...args: string[]) => legacyArgs(['node', 'oauth-desk', ...args]).slice(2);

describe('the legacy command line', () => {
  it('reads tenants as orgs, and --tenant as --org', () => {
    expect(run('tenants', 'list', '--json')).toEqual(['orgs', 'list', '--json']);
    expect(run('apps', 'list', '--tenant', 'acme')).toEqual(['apps', 'list', '--org', 'acme']);
    expect(run('sync', '--tenant=acme')).toEqual(['sync', '--org=acme']);
  });

  it("reads tenants add's --org as the organisation's URL name", () => {
    expect(run('tenants', 'add', 'acme', '--base-url', 'https://x', '--org', 'acme-org')).toEqual([
      'orgs',
      'add',
      'acme',
      '--base-url',
      'https://x',
      '--org-name',
      'acme-org',
    ]);
  });

  it("leaves today's words as they are", () => {
    for (const args of [
      ['orgs', 'add', 'acme', '--org-name', 'acme'],
      ['apps', 'list', '--org', 'acme'],
      ['server', '--org', 'acme'],
      ['apps', 'create', 'tenants'],
    ])
      expect(run(...args)).toEqual(args);
  });
});
