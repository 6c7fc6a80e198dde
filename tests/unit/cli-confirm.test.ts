// The CLI's side of main's confirmation: `orgs add --base-url <url>` confirms the host it typed, and no other.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { cliConfirm, typedHostOf } from '../../src/cli/confirm';

const argv = (...words: string[]) => ['node', 'oauth-desk', ...words];
const question = {
  title: 'Add an organisation at this host?',
  message: 'Add the organisation acme at acme.example?',
  detail: '',
};

describe('the host an `orgs add` command line typed', () => {
  it('is the host of --base-url, in either spelling, for orgs add only', () => {
    expect(typedHostOf(argv('orgs', 'add', 'acme', '--base-url', 'https://Acme.Example/', '--org-name', 'a'))).toBe(
      'acme.example',
    );
    expect(typedHostOf(argv('tenants', 'add', 'acme', '--base-url=http://127.0.0.1:8443'))).toBe('127.0.0.1:8443');
    expect(typedHostOf(argv('apps', 'list', '--base-url', 'https://acme.example'))).toBeUndefined();
    expect(typedHostOf(argv('orgs', 'add', 'acme'))).toBeUndefined();
  });

  it('answers yes to a question about that host, and asks (here: no terminal, so no) about another', async () => {
    const said: string[] = [];
    const input = Object.assign(new PassThrough(), { isTTY: false });
    const confirm = cliConfirm({ yes: false, typedHost: 'acme.example', err: (t) => said.push(t), input });
    expect(await confirm({ ...question, host: 'acme.example' })).toBe(true);
    expect(await confirm({ ...question, host: 'attacker.example' })).toBe(false);
    expect(await confirm(question)).toBe(false);
    expect(said.join('\n')).toMatch(/run the command again with --yes/);
  });
});
