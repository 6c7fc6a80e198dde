// The exported developer handoff of a secretless application, read back from the files: the Markdown, JSON and .env
// carry its federated credentials, a GitHub Actions job, a GitLab CI job and the uip login line, filled from the
// application and its organisation, and no secret; an application with a secret too keeps it where it was.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handoff } from '../../src/shared/model';
import { useDesk } from './support';
import { startTestIssuer, type TestIssuer } from './testIssuer';

const desk = useDesk({ rateLimits: { get: 10_000, post: 10_000, put: 10_000, delete: 10_000 } });
const { call } = desk;
const exportDir = desk.tempDir();
const SUBJECT = 'repo:acme/robots:ref:refs/heads/main';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(async () => {
  await issuer.close();
});

async function withCredential(name: string) {
  const created = await call('createApp', {
    name,
    isConfidential: true,
    scopes: [{ name: 'OR.Jobs', type: 'application' as const }],
  });
  const organisation = await call('showOrganisation', {});
  await call('createFederatedCredential', {
    clientId: created.app.id,
    name: 'GitHub main',
    issuer: issuer.issuer,
    audience: organisation.issuer,
    subject: SUBJECT,
  });
  return { app: created.app, secret: created.secret!, organisation };
}

async function exported(clientId: string, format: 'md' | 'json' | 'env'): Promise<string> {
  const path = join(exportDir, `${clientId}.${format}`);
  expect(await call('exportHandoff', { clientId, format, path })).toEqual({ path });
  return readFileSync(path, 'utf8');
}

describe('the exported handoff of an application with federated credentials', () => {
  it('secretless: every format carries the pipelines and no secret', async () => {
    const { app, secret, organisation } = await withCredential('Secretless handoff');
    await call('deleteSecret', { clientId: app.id, secretId: secret.id });
    const audience = encodeURIComponent(organisation.issuer);

    const json = JSON.parse(await exported(app.id, 'json')) as Handoff;
    expect(json.secretless).toBe(true);
    expect(json.secrets).toEqual([]);
    expect(json.federatedCredentials).toEqual([
      { name: 'GitHub main', issuer: issuer.issuer, audience: organisation.issuer, subject: SUBJECT },
    ]);
    expect(json.pipelines.map((p) => p.id)).toEqual(['github', 'gitlab', 'uip']);

    const md = await exported(app.id, 'md');
    expect(md).toContain('This application is secretless: it has no secret.');
    expect(md).not.toContain('client_secret');
    expect(md).toContain('## Pipelines (federated credentials, no secret)');
    expect(md).toContain(`subject \`${SUBJECT}\``);
    expect(md).toContain('### GitHub Actions job\n\n```yaml\njobs:');
    expect(md).toContain('      id-token: write');
    expect(md).toContain(`"$ACTIONS_ID_TOKEN_REQUEST_URL&audience=${audience}"`);
    expect(md).toContain(`curl -sSf -X POST ${organisation.tokenUrl}`);
    expect(md).toContain(`aud: "${organisation.issuer}"`);
    expect(md).toContain(`uip login --client-id ${app.id} --client-assertion "$ID_TOKEN"`);

    const env = await exported(app.id, 'env');
    expect(env).not.toMatch(/^OAUTH_CLIENT_SECRET/m);
    expect(env).toContain('# Secretless: this application has no secret');
    expect(env).toContain('#         id-token: write');
    expect(env).toContain(`#   uip login --client-id ${app.id} --client-assertion "$ID_TOKEN"`);
    // Every line is a comment, a setting, or blank between parts: nothing in a snippet becomes a setting.
    for (const line of env.trimEnd().split('\n')) expect(line).toMatch(/^(|#.*|[A-Z_]+=(|"([^"\\]|\\.)*"))$/);
    for (const document of [md, env, JSON.stringify(json)]) expect(document).not.toContain(secret.value);
  });

  it('with a secret as well: the secret stays where it was, the pipelines beside it', async () => {
    const { app, secret } = await withCredential('Going secretless handoff');
    const json = JSON.parse(await exported(app.id, 'json')) as Handoff;
    expect(json.secretless).toBe(false);
    expect(json.pipelines).toHaveLength(3);
    const md = await exported(app.id, 'md');
    expect(md).toContain(secret.keychain.account);
    expect(md).toContain('client_secret="$CLIENT_SECRET"');
    expect(md).toContain('### uip CLI');
    expect(await exported(app.id, 'env')).toMatch(/^OAUTH_CLIENT_SECRET=$/m);
  });
});
