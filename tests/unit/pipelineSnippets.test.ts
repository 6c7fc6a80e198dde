// The secretless handoff's snippets, and where an application stands on its way to secretless.
import { describe, expect, it } from 'vitest';
import {
  githubActionsJob,
  gitlabCiJob,
  pipelineSnippets,
  shellWord,
  uipLoginLine,
} from '../../src/shared/pipelineSnippets';
import { goSecretless, isSecretless } from '../../src/shared/secretless';

const app = {
  clientId: 'app-1',
  tokenUrl: 'https://cloud.uipath.com/acme/identity_/connect/token',
  scopes: ['OR.Jobs.Read', 'OR.Queues'],
};
const AUD = 'https://cloud.uipath.com/acme/identity_';

describe('pipeline snippets', () => {
  it('GitHub Actions: id-token write, the ID token for the audience, then client_assertion to the token URL', () => {
    const job = githubActionsJob(app, AUD);
    expect(job).toContain('      id-token: write');
    expect(job).toContain(`&audience=${encodeURIComponent(AUD)}`);
    expect(job).toContain(`curl -sSf -X POST ${app.tokenUrl}`);
    expect(job).toContain('--data-urlencode client_id=app-1');
    expect(job).toContain('--data-urlencode "client_assertion=$ID_TOKEN"');
    expect(job).toContain('client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(job).toContain("--data-urlencode 'scope=OR.Jobs.Read OR.Queues'");
    expect(job).not.toMatch(/secret/i);
  });
  it('GitLab CI: id_tokens with the audience', () => {
    const job = gitlabCiJob(app, AUD);
    expect(job).toContain(`  id_tokens:\n    UIPATH_ID_TOKEN:\n      aud: "${AUD}"`);
    expect(job).toContain('"client_assertion=$UIPATH_ID_TOKEN"');
  });
  it('the uip line, and quoting of values a shell would read otherwise', () => {
    expect(uipLoginLine(app)).toBe('uip login --client-id app-1 --client-assertion "$ID_TOKEN"');
    expect(shellWord("it's $HOME")).toBe("'it'\\''s $HOME'");
  });
  it('picks each provider’s own credential, and none without a credential', () => {
    expect(pipelineSnippets(app, [])).toEqual([]);
    const snippets = pipelineSnippets(app, [
      { issuer: 'https://gitlab.com', audience: 'gl-aud' },
      { issuer: 'https://token.actions.githubusercontent.com', audience: 'gh-aud' },
    ]);
    expect(snippets.map((s) => [s.id, s.audience])).toEqual([
      ['github', 'gh-aud'],
      ['gitlab', 'gl-aud'],
      ['uip', 'gh-aud'],
    ]);
  });
});

describe('going secretless', () => {
  const added = '2026-03-01T10:00:00.000Z';
  it('marks an application with credentials and no secret', () => {
    expect(isSecretless(1, 0)).toBe(true);
    expect(isSecretless(1, 1)).toBe(false);
    expect(isSecretless(0, 0)).toBe(false);
  });
  it('offers the deletion once no secret was used since the first credential was added', () => {
    const before = [
      { id: '1', lastUsedTime: '2026-02-28T10:00:00.000Z' },
      { id: '2', lastUsedTime: null },
    ];
    expect(goSecretless(1, before, added)).toEqual({ state: 'ready', since: added });
    const after = [...before, { id: '3', lastUsedTime: '2026-03-02T10:00:00.000Z' }];
    expect(goSecretless(1, after, added)).toEqual({ state: 'stillUsed', lastUsed: '2026-03-02T10:00:00.000Z' });
  });
  it('without the time the credential was added, only never-used secrets count', () => {
    expect(goSecretless(1, [{ id: '1', lastUsedTime: null }], null)).toEqual({ state: 'ready', since: null });
    expect(goSecretless(1, [{ id: '1', lastUsedTime: added }], null).state).toBe('stillUsed');
  });
  it('offers nothing without a credential or a secret', () => {
    expect(goSecretless(0, [{ id: '1', lastUsedTime: null }], added).state).toBe('none');
    expect(goSecretless(2, [], added).state).toBe('none');
  });
});
