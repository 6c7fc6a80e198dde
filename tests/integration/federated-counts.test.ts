// The list's Secretless mark stands on the cached application's federated credential count: kept through a sync's
// new list, filled at sync only for confidential applications without a secret (bounded, those not known first), and
// left as it was when the organisation refuses.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrganisationClient } from '../../src/main/organisation/client';
import { fillFederatedCounts } from '../../src/main/services/federatedCounts';
import { openWorkspace, type Workspace } from '../../src/main/workspace/workspace';
import type { ExternalClient } from '../../src/shared/model';
import { useDeskHome } from './support';

const desk = useDeskHome();
let workspace: Workspace;

beforeEach(() => {
  workspace = openWorkspace(desk.tempDir());
  workspace.organisations.save({
    id: 'local',
    displayName: 'Local',
    baseUrl: 'http://127.0.0.1:1',
    orgName: 'local',
    partitionGlobalId: 'p',
    adminClientId: 'admin',
    isLocal: true,
  });
});
afterEach(() => {
  workspace.close();
});

function app(id: string, options: { confidential?: boolean; secret?: boolean } = {}): ExternalClient {
  const secrets = options.secret
    ? [{ id: `s-${id}`, description: null, creationTime: '2025-01-01T00:00:00Z', expiryTime: null }]
    : [];
  return {
    id,
    name: `App ${id}`,
    isConfidential: options.confidential ?? true,
    redirectUri: null,
    resources: [],
    secrets,
  };
}

/** An organisation whose credential lists have `counts[clientId]` items; a missing one is refused. */
function organisation(counts: Record<string, number>) {
  const asked: string[] = [];
  const client = {
    federatedCredentials: (clientId: string) => ({
      list: () => {
        asked.push(clientId);
        const count = counts[clientId];
        if (count === undefined) return Promise.reject(new Error('403 Forbidden'));
        return Promise.resolve(Array.from({ length: count }, (_, i) => ({ id: `${clientId}-${i}` })));
      },
    }),
  } as unknown as OrganisationClient;
  return { client, asked };
}

const countOf = (clientId: string) =>
  workspace.registrations.listSummaries('local').find((s) => s.id === clientId)?.federatedCredentialCount;

describe('federated credential counts in the cache', () => {
  it('are not known until read, and a new list of the organisation keeps them', () => {
    workspace.registrations.replaceAll('local', [app('a', { secret: true }), app('b')]);
    expect(countOf('a')).toBeNull();
    workspace.registrations.setFederatedCredentialCount('local', 'a', 2);
    workspace.registrations.save('local', app('a'));
    workspace.registrations.replaceAll('local', [app('a'), app('b'), app('c')]);
    expect(countOf('a')).toBe(2);
    expect(countOf('c')).toBeNull();
    workspace.registrations.replaceAll('local', [app('b')]);
    expect(workspace.registrations.listSummaries('local').map((s) => s.id)).toEqual(['b']);
  });

  it('are filled at sync for confidential applications without a secret only, at most the bound, unknown first', async () => {
    const apps = [app('known'), app('public', { confidential: false }), app('withSecret', { secret: true })];
    workspace.registrations.replaceAll('local', [...apps, app('x'), app('y')]);
    workspace.registrations.setFederatedCredentialCount('local', 'known', 0);
    const { client, asked } = organisation({ known: 3, x: 1, y: 0 });
    const read = await fillFederatedCounts(workspace, client, 'local', { stopped: () => false, max: 2 });
    expect(read).toBe(2);
    expect(asked).toEqual(['x', 'y']);
    expect([countOf('x'), countOf('y'), countOf('known'), countOf('public')]).toEqual([1, 0, 0, null]);
  });

  it('stop at the first refusal, the counts not read staying as they were', async () => {
    workspace.registrations.replaceAll('local', [app('a'), app('b'), app('c')]);
    const { client, asked } = organisation({ a: 1, c: 1 });
    expect(await fillFederatedCounts(workspace, client, 'local', { stopped: () => false })).toBe(1);
    expect(asked).toEqual(['a', 'b']);
    expect([countOf('a'), countOf('b'), countOf('c')]).toEqual([1, null, null]);
  });
});
