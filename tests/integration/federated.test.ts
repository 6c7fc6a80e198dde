// Federated credentials end to end on one machine: a CI-style OIDC issuer on loopback, the embedded Identity Server's
// FederatedCredentials API and its token endpoint taking a pipeline's JWT as client_assertion. Every answer is held to
// schemas/uipath-external-applications.openapi.yaml.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import { OrganisationClient } from '../../src/main/organisation/client';
import { clientCredentialsSource } from '../../src/main/organisation/tokens';
import { JWT_BEARER_ASSERTION_TYPE } from '../../src/shared/federated';
import { loadContract, recordingFetch, type Contract } from '../contract/openapiContract';
import { startTestIssuer, type TestIssuer } from './testIssuer';

const AUDIENCE = 'https://github.com/acme';
const SUBJECT = 'repo:acme/robots:ref:refs/heads/main';

let contract: Contract;
let issuer: TestIssuer;
let server: RunningIdentityServer;
let adminToken: string;
let admin: { clientId: string; secret: string };
const dirs: string[] = [];

async function tokenWithSecret(clientId: string, secret: string, scope: string): Promise<string> {
  const response = await fetch(`${server.issuer}/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** A management API call whose answer must be one the description allows. */
async function api(method: string, path: string, body?: unknown) {
  const { fetch: recording, exchanges } = recordingFetch();
  const response = await recording(`${server.baseUrl}/${server.orgName}/identity_/api${path}`, {
    method,
    headers: {
      authorization: `Bearer ${adminToken}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  expect(exchanges.flatMap((e) => contract.validateExchange(e, { answerOnly: true }))).toEqual([]);
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** The token endpoint with a client_assertion, the way a pipeline asks; held to the description too. */
async function federatedToken(clientId: string, assertion: string, options: { answerOnly?: boolean } = {}) {
  const { fetch: recording, exchanges } = recordingFetch();
  const response = await recording(`${server.issuer}/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_assertion: assertion,
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
    }),
  });
  expect(exchanges.flatMap((e) => contract.validateExchange(e, options))).toEqual([]);
  return {
    status: response.status,
    body: (await response.json()) as {
      access_token?: string;
      expires_in?: number;
      scope?: string;
      error?: string;
      error_description?: string;
    },
  };
}

beforeAll(async () => {
  contract = await loadContract();
  issuer = await startTestIssuer();
  const dir = mkdtempSync(join(tmpdir(), 'oauth-desk-federated-'));
  dirs.push(dir);
  server = await startIdentityServer({ dataDir: dir, port: 0 });
  const ensured = await server.ensureAdminClient();
  admin = { clientId: ensured.clientId, secret: ensured.secret?.value ?? '' };
  adminToken = await tokenWithSecret(admin.clientId, admin.secret, 'PM.OAuthApp');
});

afterAll(async () => {
  await server.close();
  await issuer.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function createApp(name: string): Promise<string> {
  const created = await api('POST', '/ExternalClient', {
    partitionGlobalId: server.partitionGlobalId,
    name,
    isConfidential: true,
    scopes: [
      { name: 'OR.Jobs', type: 'application' },
      { name: 'OR.Machines.Read', type: 'application' },
    ],
  });
  expect(created.status).toBe(201);
  return (created.body as { id: string }).id;
}

const credentialsPath = (clientId: string) =>
  `/ExternalClient/${server.partitionGlobalId}/${clientId}/FederatedCredentials`;

describe('federated credentials on the embedded Identity Server', () => {
  let appId: string;
  let credentialId: string;

  beforeAll(async () => {
    appId = await createApp('Deploy robots');
  });

  it('lists none, then creates, reads and lists a credential in UiPath’s shape', async () => {
    expect(await api('GET', credentialsPath(appId))).toEqual({ status: 200, body: [] });
    const created = await api('POST', credentialsPath(appId), {
      name: 'GitHub Actions (main)',
      description: 'Deploys from main.',
      issuer: issuer.issuer,
      audience: AUDIENCE,
      subject: SUBJECT,
    });
    expect(created.status).toBe(201);
    const dto = created.body as { id: string };
    expect(dto).toMatchObject({ clientId: appId, issuer: issuer.issuer, audience: AUDIENCE, subject: SUBJECT });
    credentialId = dto.id;
    expect(await api('GET', `${credentialsPath(appId)}/${credentialId}`)).toEqual({ status: 200, body: dto });
    expect((await api('GET', credentialsPath(appId))).body).toEqual([dto]);
  });

  it('gives a pipeline’s JWT a one-hour token with the application’s scopes, no secret involved', async () => {
    const answer = await federatedToken(appId, await issuer.token({ sub: SUBJECT, aud: AUDIENCE }));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.expires_in).toBe(3600);
    const claims = decodeJwt(answer.body.access_token ?? '');
    expect(claims.client_id).toBe(appId);
    expect(claims.prt_id).toBe(server.partitionGlobalId);
    expect(String(claims.scope)).toContain('OR.Jobs');
    expect(String(claims.scope)).toContain('OR.Machines.Read');
    // An aud list containing the credential's audience is accepted too.
    const listed = await federatedToken(appId, await issuer.token({ sub: SUBJECT, aud: ['other', AUDIENCE] }));
    expect(listed.status).toBe(200);
  });

  it('refuses each wrong token as invalid_client, saying why', async () => {
    const { privateKey: forger } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const hs256 = await new SignJWT({ iss: issuer.issuer, sub: SUBJECT, aud: AUDIENCE })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(now + 300)
      .sign(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!'));
    const cases: [string, Promise<string> | string, RegExp][] = [
      ['wrong sub', issuer.token({ sub: 'repo:acme/robots:ref:refs/heads/dev', aud: AUDIENCE }), /subject/],
      ['wrong aud', issuer.token({ sub: SUBJECT, aud: 'https://github.com/evil' }), /aud/],
      ['wrong iss', issuer.token({ sub: SUBJECT, aud: AUDIENCE, iss: 'https://token.example.com' }), /issuer/],
      ['forged signature', issuer.token({ sub: SUBJECT, aud: AUDIENCE }, { key: forger }), /signature/],
      ['HS256', hs256, /only RS256/],
      ['expired', issuer.token({ sub: SUBJECT, aud: AUDIENCE }, { expiresIn: -600 }), /expired/],
      ['9 KB', issuer.token({ sub: SUBJECT, aud: AUDIENCE }, { extra: { pad: 'x'.repeat(9 * 1024) } }), /8192/],
    ];
    for (const [what, token, reason] of cases) {
      // The 9 KB one is a request the description does not allow: only the answer is judged.
      const answer = await federatedToken(appId, await token, { answerOnly: what === '9 KB' });
      expect(answer.status, what).toBe(401);
      expect(answer.body.error, what).toBe('invalid_client');
      expect(answer.body.error_description, what).toMatch(reason);
    }
  });

  it('refuses a replayed jti', async () => {
    const token = await issuer.token({ sub: SUBJECT, aud: AUDIENCE });
    expect((await federatedToken(appId, token)).status).toBe(200);
    const again = await federatedToken(appId, token);
    expect(again.status).toBe(401);
    expect(again.body.error_description).toMatch(/already used/);
  });

  it('refuses UiPath’s invalid credentials with a 400 naming the field, and changes nothing', async () => {
    const base = {
      name: 'x',
      description: null,
      issuer: issuer.issuer,
      audience: AUDIENCE,
      subject: 'repo:acme/x:pull_request',
    };
    const refusals: [Record<string, unknown>, string, RegExp][] = [
      [{ ...base, issuer: 'http://token.example.com' }, 'issuer', /https/],
      [{ ...base, subject: 'repo:acme/*' }, 'subject', /wildcard/],
      [{ ...base, audience: 'a*' }, 'audience', /wildcard/],
      [{ ...base, subject: SUBJECT }, 'subject', /same issuer and subject/],
      [{ ...base, issuer: 'http://127.0.0.1:9/none' }, 'issuer', /cannot be reached/],
      [{ ...base, name: '' }, 'name', /required/],
    ];
    for (const [body, field, message] of refusals) {
      const answer = await api('POST', credentialsPath(appId), body);
      expect(answer.status, field).toBe(400);
      expect((answer.body as { errors: Record<string, string[]> }).errors[field]?.join(' '), field).toMatch(message);
    }
    expect((await api('GET', credentialsPath(appId))).body).toHaveLength(1);
  });

  it('refuses the 21st credential', async () => {
    const other = await createApp('Many pipelines');
    for (let i = 0; i < 20; i++) {
      const answer = await api('POST', credentialsPath(other), {
        name: `Branch ${i}`,
        issuer: issuer.issuer,
        audience: AUDIENCE,
        subject: `repo:acme/robots:ref:refs/heads/b${i}`,
      });
      expect(answer.status).toBe(201);
    }
    const twentyFirst = await api('POST', credentialsPath(other), {
      name: 'One too many',
      issuer: issuer.issuer,
      audience: AUDIENCE,
      subject: 'repo:acme/robots:ref:refs/heads/b20',
    });
    expect(twentyFirst.status).toBe(400);
    expect(JSON.stringify(twentyFirst.body)).toMatch(/at most 20/);
  });

  it('replaces a credential whole, then refuses new tokens once it is deleted', async () => {
    const replaced = await api('PUT', `${credentialsPath(appId)}/${credentialId}`, {
      name: 'GitHub Actions (prod)',
      description: null,
      issuer: issuer.issuer,
      audience: AUDIENCE,
      subject: 'repo:acme/robots:environment:prod',
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      id: credentialId,
      subject: 'repo:acme/robots:environment:prod',
      description: null,
    });
    const prod = await federatedToken(
      appId,
      await issuer.token({ sub: 'repo:acme/robots:environment:prod', aud: AUDIENCE }),
    );
    expect(prod.status).toBe(200);

    expect((await api('DELETE', `${credentialsPath(appId)}/${credentialId}`)).status).toBe(204);
    expect((await api('GET', `${credentialsPath(appId)}/${credentialId}`)).status).toBe(404);
    const after = await federatedToken(
      appId,
      await issuer.token({ sub: 'repo:acme/robots:environment:prod', aud: AUDIENCE }),
    );
    expect(after.status).toBe(401);
    expect(after.body.error_description).toMatch(/no federated credentials/);
  });

  it('leaves secret-based tokens as they were', async () => {
    const answer = await fetch(`${server.issuer}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: appId,
        client_secret: 'federated.guess',
      }),
    });
    expect(answer.status).toBe(401);
  });
});

describe("the organisation client's federated credentials, held to the description", () => {
  it('lists, creates, replaces and deletes, every exchange one the description allows', async () => {
    const appId = await createApp('Client-made pipeline');
    const { fetch: recording, exchanges } = recordingFetch();
    const client = new OrganisationClient({
      connection: {
        baseUrl: server.baseUrl,
        orgName: server.orgName,
        partitionGlobalId: server.partitionGlobalId,
        adminClientId: admin.clientId,
      },
      inWords: server.orgName,
      tokens: clientCredentialsSource({
        tokenUrl: `${server.issuer}/connect/token`,
        inWords: server.orgName,
        clientId: admin.clientId,
        secret: () => Promise.resolve(admin.secret),
      }),
      fetch: recording,
    });
    const federated = client.federatedCredentials(appId);
    expect(await federated.list()).toEqual([]);
    const fields = {
      name: 'GitLab CI',
      description: null,
      issuer: issuer.issuer,
      audience: 'https://gitlab.com',
      subject: 'project_path:acme/robots:ref_type:branch:ref:main',
    };
    const created = await federated.create(fields);
    expect(created).toMatchObject({ clientId: appId, ...fields });
    const updated = await federated.update(created.id, { ...fields, name: 'GitLab CI (main)' });
    expect(updated).toMatchObject({ id: created.id, name: 'GitLab CI (main)' });
    expect(await federated.list()).toEqual([updated]);
    await expect(federated.create({ ...fields, subject: 'project_path:acme/*' })).rejects.toThrow(/wildcard/);
    await federated.delete(created.id);
    expect(await federated.list()).toEqual([]);
    await expect(federated.delete(created.id)).rejects.toThrow(/No federated credential/);
    // Token requests and refusals included: nothing the client sent or read is outside the description.
    expect(exchanges.length).toBeGreaterThan(6);
    expect(contract.validateAll(exchanges.filter((e) => e.status < 400))).toEqual([]);
    expect(exchanges.flatMap((e) => contract.validateExchange(e, { answerOnly: true }))).toEqual([]);
  });
});
