// What applying a scope set does to one application's scopes, and how long an organisation's limits make it take.
import { describe, expect, it } from 'vitest';
import { UIPATH_RATE_LIMITS } from '../../src/identity-server/http/rateLimit';
import { estimateOf, targetScopes } from '../../src/main/services/bulkApply';
import type { ExternalClient, ScopeRequest } from '../../src/shared/model';

function app(isConfidential: boolean, scopes: ScopeRequest[]): ExternalClient {
  return {
    id: 'a',
    name: 'A',
    isConfidential,
    redirectUri: 'https://a.example.com/cb',
    resources: [
      {
        name: 'OrchestratorApiUserAccess',
        displayName: 'Orchestrator',
        description: '',
        scopes: scopes.map((s) => ({ ...s, displayName: s.name, description: '' })),
      },
    ],
    secrets: [],
  };
}

const set: ScopeRequest[] = [
  { name: 'OR.Queues', type: 'application' },
  { name: 'OR.Queues.Read', type: 'user' },
];

describe('targetScopes', () => {
  const folders: ScopeRequest = { name: 'OR.Folders.Read', type: 'application' };

  it('add keeps what the app has and adds the set', () => {
    expect(targetScopes(app(true, [folders]), set, 'add')).toEqual({ scopes: [folders, ...set], leftOut: [] });
  });

  it('remove takes away only the set’s scopes, by name and type', () => {
    const holding = app(true, [folders, ...set, { name: 'OR.Queues', type: 'user' }]);
    expect(targetScopes(holding, set, 'remove').scopes).toEqual([folders, { name: 'OR.Queues', type: 'user' }]);
  });

  it('replace gives exactly the set', () => {
    expect(targetScopes(app(true, [folders]), set, 'replace').scopes).toEqual(set);
  });

  it('a non-confidential app gets no application scopes: they are left out and said so', () => {
    const user: ScopeRequest = { name: 'OR.Folders.Read', type: 'user' };
    expect(targetScopes(app(false, [user]), set, 'add')).toEqual({
      scopes: [user, { name: 'OR.Queues.Read', type: 'user' }],
      leftOut: [{ name: 'OR.Queues', type: 'application' }],
    });
  });
});

describe('estimateOf', () => {
  it("1 000 applications at UiPath's 160 PUT per 5 minutes wait 6 windows: about 30 minutes", () => {
    const estimate = estimateOf(1_000, UIPATH_RATE_LIMITS, 'uipath');
    expect(estimate).toMatchObject({ writes: 1_000, reads: 1_001, limitedBy: 'put', seconds: 1_803 });
  });

  it('within one window nothing holds the run back', () => {
    expect(estimateOf(160, UIPATH_RATE_LIMITS, 'uipath')).toMatchObject({ seconds: 0, limitedBy: null });
  });

  it('counts whole windows, each wait ending half a second after its window: one more application waits a window', () => {
    const limits = { ...UIPATH_RATE_LIMITS, put: 4, windowSeconds: 4 };
    expect(estimateOf(16, limits, 'embedded')).toMatchObject({ seconds: 13.5, limitedBy: 'put' });
    expect(estimateOf(17, limits, 'embedded')).toMatchObject({ seconds: 18, limitedBy: 'put' });
  });

  it('the GET limit paces the run when it is the tighter one, the catalogue read counted', () => {
    const limits = { ...UIPATH_RATE_LIMITS, get: 50, put: 1_000 };
    expect(estimateOf(200, limits, 'embedded')).toMatchObject({ reads: 201, limitedBy: 'get', seconds: 1_202 });
    expect(estimateOf(199, limits, 'embedded')).toMatchObject({ limitedBy: 'get', seconds: 901.5 });
  });
});
