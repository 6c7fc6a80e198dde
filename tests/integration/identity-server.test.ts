// The embedded Identity Server over real HTTP: discovery, the ExternalClient API, client_credentials with a real
// OAuth client library, rate limits, restarts and what lands on disk.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import { openIdentityDatabase } from '../../src/identity-server/store/database';
import { OidcModelAdapter, OidcRecords, recordKey } from '../../src/identity-server/store/oidcModels';
import type { ExternalClient, LocalUser } from '../../src/shared/model';
import { loadContract, recordingFetch, type Contract } from '../contract/openapiContract';

type CreatedClient = ExternalClient & { secret?: string };

interface Harness {
  server: RunningIdentityServer;
  adminToken: string;
  admin: { clientId: string; secret: string };
  /** Every secret value handed out, to look for on disk at the end. */
  secretsSeen: string[];
}

const tempDirs: string[] = [];
function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-desk-identity-'));
  tempDirs.push(dir);
  return dir;
}

/** A client_credentials token through openid-client, the way an integration gets one. */
async function clientCredentials(
  server: RunningIdentityServer,
  clientId: string,
  secret: string,
  scope: string,
  method: 'basic' | 'post' = 'basic',
): Promise<string> {
  const auth = method === 'basic' ? oidc.ClientSecretBasic(secret) : oidc.ClientSecretPost(secret);
  const config = await oidc.discovery(new URL(server.issuer), clientId, undefined, auth, {
    execute: [oidc.allowInsecureRequests],
  });
  const response = await oidc.clientCredentialsGrant(config, { scope });
  return response.access_token;
}

/** The OAuth error code a failed token request answers with (in its body, or in its WWW-Authenticate challenge). */
async function tokenError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof oidc.ResponseBodyError) return error.error;
    if (error instanceof oidc.WWWAuthenticateChallengeError) return String(error.cause[0]?.parameters.error);
    throw error;
  }
  throw new Error('The token request was expected to fail.');
}

async function verified(server: RunningIdentityServer, token: string): Promise<JWTPayload> {
  const jwks = createRemoteJWKSet(new URL(`${server.issuer}/.well-known/openid-configuration/jwks`));
  const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: server.issuer, algorithms: ['RS256'] });
  expect(protectedHeader.alg).toBe('RS256');
  return payload;
}

/** UiPath's API as schemas/uipath-external-applications.openapi.yaml describes it: every answer below is held to it. */
let contract: Contract;
beforeAll(async () => {
  contract = await loadContract();
});

/** A management API call; its answer must be one the description allows, whatever the request (some are bad on purpose). */
function api(server: RunningIdentityServer, token: string | null, form: 'org' | 'plain' = 'org') {
  const root = form === 'org' ? `${server.baseUrl}/${server.orgName}/identity_/api` : `${server.baseUrl}/identity_/api`;
  return async (method: string, path: string, body?: unknown) => {
    const url = `${root}${path}`;
    const response = await fetch(url, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, key) => (responseHeaders[key] = value));
    // The plain /identity_/api form is the same API under UiPath's other path: checked as the organisation's.
    const described = form === 'org' ? url : `${server.baseUrl}/${server.orgName}/identity_/api${path}`;
    expect(
      contract.validateExchange(
        {
          method,
          url: described,
          requestBody: body,
          requestContentType: body === undefined ? undefined : 'application/json',
          status: response.status,
          responseBody: text ? (JSON.parse(text) as unknown) : undefined,
          responseText: text,
          responseHeaders,
        },
        { answerOnly: true },
      ),
    ).toEqual([]);
    return {
      status: response.status,
      headers: response.headers,
      body: text ? (JSON.parse(text) as unknown) : undefined,
    };
  };
}

async function startHarness(
  dataDir = tempDataDir(),
  rateLimits?: Parameters<typeof startIdentityServer>[0]['rateLimits'],
): Promise<Harness> {
  const server = await startIdentityServer({ dataDir, port: 0, rateLimits });
  const admin = await server.ensureAdminClient();
  const secretsSeen = admin.secret ? [admin.secret.value] : [];
  const adminToken = admin.secret
    ? await clientCredentials(server, admin.clientId, admin.secret.value, 'PM.OAuthApp PM.OAuthAppSecret.Write')
    : '';
  return { server, adminToken, admin: { clientId: admin.clientId, secret: admin.secret?.value ?? '' }, secretsSeen };
}

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('embedded Identity Server', () => {
  let h: Harness;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = tempDataDir();
    h = await startHarness(dataDir);
  });
  afterAll(async () => {
    await h.server.close();
  });

  async function create(body: Record<string, unknown>): Promise<CreatedClient> {
    const response = await api(h.server, h.adminToken)('POST', '/ExternalClient', {
      partitionGlobalId: h.server.partitionGlobalId,
      ...body,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const created = response.body as CreatedClient;
    if (created.secret) h.secretsSeen.push(created.secret);
    return created;
  }

  async function listIds(): Promise<string[]> {
    const response = await api(h.server, h.adminToken)('GET', `/ExternalClient/${h.server.partitionGlobalId}`);
    expect(response.status).toBe(200);
    return (response.body as ExternalClient[]).map((c) => c.id);
  }

  describe('discovery', () => {
    it('serves discovery and JWKS under both path forms, with every endpoint inside /identity_', async () => {
      for (const root of [`${h.server.baseUrl}/identity_`, `${h.server.baseUrl}/${h.server.orgName}/identity_`]) {
        const discovery = (await (await fetch(`${root}/.well-known/openid-configuration`)).json()) as Record<
          string,
          unknown
        >;
        expect(discovery.issuer).toBe(h.server.issuer);
        expect(discovery.token_endpoint).toBe(`${h.server.issuer}/connect/token`);
        expect(discovery.authorization_endpoint).toBe(`${h.server.issuer}/connect/authorize`);
        expect(discovery.jwks_uri).toBe(`${h.server.issuer}/.well-known/openid-configuration/jwks`);
        expect(discovery.introspection_endpoint).toBe(`${h.server.issuer}/connect/introspect`);
        expect(discovery.revocation_endpoint).toBe(`${h.server.issuer}/connect/revocation`);
        expect(discovery.token_endpoint_auth_methods_supported).toEqual(
          expect.arrayContaining(['client_secret_basic', 'client_secret_post', 'none']),
        );

        const jwks = (await (await fetch(`${root}/.well-known/openid-configuration/jwks`)).json()) as {
          keys: Record<string, unknown>[];
        };
        expect(jwks.keys).toHaveLength(1);
        expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
        expect(jwks.keys[0]).not.toHaveProperty('d');
      }
    });

    it('answers discovery and the token endpoint as the API description says, a refusal included', async () => {
      const { fetch: recording, exchanges } = recordingFetch();
      await recording(`${h.server.issuer}/.well-known/openid-configuration`);
      const form = (fields: Record<string, string>) =>
        recording(`${h.server.issuer}/connect/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(fields).toString(),
        });
      const granted = await form({
        grant_type: 'client_credentials',
        client_id: h.admin.clientId,
        client_secret: h.admin.secret,
        scope: 'PM.OAuthApp',
      });
      expect(granted.status).toBe(200);
      const refused = await form({ grant_type: 'client_credentials', client_id: h.admin.clientId, client_secret: 'x' });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      // The description's paths are UiPath's (cloud.uipath.com/identity_/…): the same paths on this server's origin.
      expect(exchanges).toHaveLength(3);
      expect(contract.validateAll(exchanges)).toEqual([]);
    });

    it('answers 404 for another organisation and for paths outside identity_', async () => {
      expect((await fetch(`${h.server.baseUrl}/someone-else/identity_/.well-known/openid-configuration`)).status).toBe(
        404,
      );
      expect((await fetch(`${h.server.baseUrl}/someone-else/identity_/api/ExternalApiResource`)).status).toBe(404);
      expect((await fetch(`${h.server.baseUrl}/orchestrator_/odata/Jobs`)).status).toBe(404);
    });

    it('keeps its signing key private to its owner on disk', () => {
      expect(statSync(join(dataDir, 'signing-keys.json')).mode & 0o777).toBe(0o600);
    });
  });

  describe('Host', () => {
    /** A request as a browser page that rebound its own DNS name to 127.0.0.1 sends it: its own Host. */
    function withHost(host: string, path: string): Promise<{ status: number; body: string }> {
      const { port } = new URL(h.server.baseUrl);
      return new Promise((resolve, reject) => {
        const request = httpRequest(
          { host: '127.0.0.1', port, path, headers: { host, authorization: `Bearer ${h.adminToken}` } },
          (response) => {
            let body = '';
            response.on('data', (chunk: Buffer) => (body += chunk.toString()));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
          },
        );
        request.on('error', reject);
        request.end();
      });
    }

    it('answers only to its loopback names: a rebinding page gets 421 and nothing else', async () => {
      const { port } = new URL(h.server.baseUrl);
      const list = `/${h.server.orgName}/identity_/api/ExternalClient/${h.server.partitionGlobalId}`;
      for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1.evil.example:${port}`]) {
        const refused = await withHost(host, list);
        expect(refused.status, host).toBe(421);
        expect(refused.body).not.toContain('OAuth Desk admin');
      }
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`])
        expect((await withHost(host, list)).status, host).toBe(200);
      expect((await withHost(`evil.example:${port}`, '/identity_/.well-known/openid-configuration')).status).toBe(421);
    });
  });

  describe('management API authorisation', () => {
    it('answers 401 without a token and with a token it did not issue', async () => {
      const none = await api(h.server, null)('GET', `/ExternalClient/${h.server.partitionGlobalId}`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const forged = await api(h.server, `${h.adminToken.slice(0, -4)}AAAA`)(
        'GET',
        `/ExternalClient/${h.server.partitionGlobalId}`,
      );
      expect(forged.status).toBe(401);
    });

    it('answers a 20 000-deep body with a 400 naming the field, and keeps serving', async () => {
      // Written by hand: JSON.stringify itself would overflow on such a value.
      const body = `{"partitionGlobalId":"${h.server.partitionGlobalId}","name":"Deep","isConfidential":true,"scopes":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
      const response = await fetch(`${h.server.baseUrl}/${h.server.orgName}/identity_/api/ExternalClient`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.adminToken}`, 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toContain('scopes is nested more than 64 levels deep');
      expect((await api(h.server, h.adminToken)('GET', `/ExternalClient/${h.server.partitionGlobalId}`)).status).toBe(
        200,
      );
    });

    it('answers 403 to a token without a PM.OAuthApp scope, and to a read-only token that writes', async () => {
      const reader = await create({
        name: 'Reader',
        isConfidential: true,
        scopes: [
          { name: 'PM.OAuthApp.Read', type: 'application' },
          { name: 'OR.Jobs', type: 'application' },
        ],
      });
      const jobsOnly = await clientCredentials(h.server, reader.id, reader.secret!, 'OR.Jobs');
      expect((await api(h.server, jobsOnly)('GET', `/ExternalClient/${h.server.partitionGlobalId}`)).status).toBe(403);
      expect((await api(h.server, jobsOnly)('GET', '/ExternalApiResource')).status).toBe(403);

      const readOnly = await clientCredentials(h.server, reader.id, reader.secret!, 'PM.OAuthApp.Read');
      expect((await api(h.server, readOnly)('GET', `/ExternalClient/${h.server.partitionGlobalId}`)).status).toBe(200);
      const write = await api(h.server, readOnly)('POST', '/ExternalClient', {
        partitionGlobalId: h.server.partitionGlobalId,
        name: 'Should not exist',
        isConfidential: true,
        scopes: [{ name: 'OR.Jobs', type: 'application' }],
      });
      expect(write.status).toBe(403);
      const names = (await api(h.server, h.adminToken)('GET', `/ExternalClient/${h.server.partitionGlobalId}`))
        .body as ExternalClient[];
      expect(names.map((c) => c.name)).not.toContain('Should not exist');
    });
  });

  describe('ExternalClient', () => {
    it('serves the resource catalogue', async () => {
      const response = await api(h.server, h.adminToken, 'plain')('GET', '/ExternalApiResource');
      expect(response.status).toBe(200);
      const catalogue = response.body as { name: string; scopes: { name: string; type: string }[] }[];
      const orchestrator = catalogue.find((r) => r.name === 'OrchestratorApiUserAccess');
      expect(orchestrator?.scopes.map((s) => s.name)).toContain('OR.Jobs.Read');
    });

    it('creates a confidential application, shows its secret once, and lists it without secret values', async () => {
      const created = await create({
        name: '  Invoice robot  ',
        isConfidential: true,
        redirectUri: null,
        scopes: [
          { name: 'OR.Jobs', type: 'application' },
          { name: 'OR.Queues.Read', type: 'application' },
        ],
      });
      expect(created.name).toBe('Invoice robot');
      expect(created.isConfidential).toBe(true);
      expect(created.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(created.secrets).toHaveLength(1);
      expect(created.resources).toEqual([
        {
          name: 'OrchestratorApiUserAccess',
          displayName: 'Orchestrator API Access',
          description: expect.any(String) as unknown,
          scopes: [
            {
              name: 'OR.Jobs',
              displayName: 'OR.Jobs',
              description: expect.any(String) as unknown,
              type: 'application',
            },
            {
              name: 'OR.Queues.Read',
              displayName: 'OR.Queues.Read',
              description: expect.any(String) as unknown,
              type: 'application',
            },
          ],
        },
      ]);

      const got = await api(h.server, h.adminToken)(
        'GET',
        `/ExternalClient/${h.server.partitionGlobalId}/${created.id}`,
      );
      expect(got.status).toBe(200);
      expect(got.body).not.toHaveProperty('secret');
      expect((got.body as ExternalClient).secrets[0]).toMatchObject({ id: created.secrets[0]!.id, expiryTime: null });

      const list = await api(h.server, h.adminToken, 'plain')('GET', `/ExternalClient/${h.server.partitionGlobalId}`);
      expect(JSON.stringify(list.body)).not.toContain(created.secret!);
      expect((list.body as ExternalClient[]).map((c) => c.name)).toContain('Invoice robot');
    });

    it('creates non-confidential applications with loopback and private-use redirect URLs, without a secret', async () => {
      const spa = await create({
        name: 'Dashboard',
        isConfidential: false,
        redirectUri: 'http://127.0.0.1:5173/callback',
        scopes: [{ name: 'OR.Folders.Read', type: 'user' }],
      });
      expect(spa).not.toHaveProperty('secret');
      expect(spa.secrets).toEqual([]);
      expect(spa.redirectUri).toBe('http://127.0.0.1:5173/callback');

      const mobile = await create({
        name: 'Field app',
        isConfidential: false,
        redirectUri: 'com.example.fieldapp:/oauth2redirect',
        scopes: [{ name: 'OR.Tasks', type: 'user' }],
      });
      expect(mobile.isConfidential).toBe(false);
    });

    it('answers 404 for an unknown partition or application', async () => {
      const unknownPartition = '00000000-0000-0000-0000-000000000000';
      expect((await api(h.server, h.adminToken)('GET', `/ExternalClient/${unknownPartition}`)).status).toBe(404);
      expect(
        (await api(h.server, h.adminToken)('GET', `/ExternalClient/${h.server.partitionGlobalId}/nope`)).status,
      ).toBe(404);
      const create = await api(h.server, h.adminToken)('POST', '/ExternalClient', {
        partitionGlobalId: unknownPartition,
        name: 'Lost',
        isConfidential: true,
        scopes: [{ name: 'OR.Jobs', type: 'application' }],
      });
      expect(create.status).toBe(404);
    });

    it.each([
      [
        'an empty name',
        { name: '   ', isConfidential: true, scopes: [{ name: 'OR.Jobs', type: 'application' }] },
        { name: ['Application Name is required.'] },
      ],
      [
        'a name over 100 characters',
        { name: 'x'.repeat(101), isConfidential: true, scopes: [{ name: 'OR.Jobs', type: 'application' }] },
        { name: ['Application Name must be at most 100 characters (it has 101).'] },
      ],
      [
        'an http redirect URL on a public host',
        {
          name: 'Web',
          isConfidential: true,
          redirectUri: 'http://app.example.com/cb',
          scopes: [{ name: 'OR.Jobs', type: 'user' }],
        },
        {
          redirectUri: ['http is allowed only on a loopback host (127.0.0.1 or [::1]); use https for any other host.'],
        },
      ],
      [
        'a redirect URL with a fragment',
        {
          name: 'Web',
          isConfidential: true,
          redirectUri: 'https://app.example.com/cb#x',
          scopes: [{ name: 'OR.Jobs', type: 'user' }],
        },
        { redirectUri: ['Redirect URL must not contain a fragment (#…).'] },
      ],
      [
        'user scopes without a redirect URL',
        { name: 'Web', isConfidential: true, scopes: [{ name: 'OR.Jobs', type: 'user' }] },
        { redirectUri: ['Redirect URL is required when the application has user scopes.'] },
      ],
      [
        'application scopes on a non-confidential application',
        {
          name: 'Spa',
          isConfidential: false,
          redirectUri: 'https://app.example.com/cb',
          scopes: [
            { name: 'OR.Jobs', type: 'user' },
            { name: 'OR.Queues', type: 'application' },
          ],
        },
        { scopes: ['A non-confidential application cannot have application scopes (OR.Queues).'] },
      ],
      [
        'an unknown scope',
        { name: 'Robot', isConfidential: true, scopes: [{ name: 'OR.Everything', type: 'application' }] },
        { scopes: ['Scope OR.Everything does not exist in the resource catalogue.'] },
      ],
      [
        'a missing application type',
        { name: 'Robot', scopes: [{ name: 'OR.Jobs', type: 'application' }] },
        { isConfidential: ['Application Type must be Confidential or Non-confidential.'] },
      ],
    ])('refuses %s with 400 and the rule’s message, creating nothing', async (_case, body, errors) => {
      const before = await listIds();
      const response = await api(h.server, h.adminToken)('POST', '/ExternalClient', {
        partitionGlobalId: h.server.partitionGlobalId,
        ...body,
      });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ status: 400, title: expect.any(String) as unknown, errors });
      expect(await listIds()).toEqual(before);
    });

    it('refuses a body that is not JSON', async () => {
      const response = await fetch(`${h.server.baseUrl}/identity_/api/ExternalClient`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.adminToken}`, 'content-type': 'application/json' },
        body: '{"name": ',
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { errors: Record<string, string[]> }).errors).toHaveProperty('body');
    });
  });

  describe('token endpoint', () => {
    let robot: CreatedClient;

    beforeAll(async () => {
      robot = await create({
        name: 'Token robot',
        isConfidential: true,
        redirectUri: 'https://robot.example.com/cb',
        scopes: [
          { name: 'OR.Jobs', type: 'application' },
          { name: 'OR.Queues.Read', type: 'application' },
          { name: 'OR.Assets', type: 'user' },
        ],
      });
    });

    it('issues a client_credentials JWT carrying exactly the requested scopes, verifiable with the JWKS', async () => {
      const token = await clientCredentials(h.server, robot.id, robot.secret!, 'OR.Jobs');
      const claims = await verified(h.server, token);
      expect(claims.scope).toBe('OR.Jobs');
      expect(claims.client_id).toBe(robot.id);
      expect(claims.sub).toBe(robot.id);
      // The organisation's partition, where UiPath puts it.
      expect(claims.prt_id).toBe(h.server.partitionGlobalId);
      expect(claims.exp! - claims.iat!).toBe(3600);

      const both = await verified(
        h.server,
        await clientCredentials(h.server, robot.id, robot.secret!, 'OR.Queues.Read OR.Jobs', 'post'),
      );
      expect((both.scope as string).split(' ').sort()).toEqual(['OR.Jobs', 'OR.Queues.Read']);
    });

    it('refuses a scope the application was not granted, and a user scope in client_credentials', async () => {
      expect(await tokenError(clientCredentials(h.server, robot.id, robot.secret!, 'OR.Jobs OR.Robots'))).toBe(
        'invalid_scope',
      );
      expect(await tokenError(clientCredentials(h.server, robot.id, robot.secret!, 'OR.Assets'))).toBe('invalid_scope');
      expect(await tokenError(clientCredentials(h.server, robot.id, robot.secret!, 'Made.Up'))).toBe('invalid_scope');
    });

    it('refuses a wrong secret and an unknown client with invalid_client', async () => {
      expect(await tokenError(clientCredentials(h.server, robot.id, `${robot.secret!.slice(0, -1)}x`, 'OR.Jobs'))).toBe(
        'invalid_client',
      );
      expect(await tokenError(clientCredentials(h.server, robot.id, 'wrong', 'OR.Jobs', 'post'))).toBe(
        'invalid_client',
      );
      expect(await tokenError(clientCredentials(h.server, 'no-such-client', robot.secret!, 'OR.Jobs'))).toBe(
        'invalid_client',
      );
    });

    it('records when a secret was last used', async () => {
      await clientCredentials(h.server, robot.id, robot.secret!, 'OR.Jobs');
      const got = await api(h.server, h.adminToken)('GET', `/ExternalClient/${h.server.partitionGlobalId}/${robot.id}`);
      const lastUsed = (got.body as ExternalClient).secrets[0]!.lastUsedTime;
      expect(lastUsed).not.toBeNull();
      expect(Date.now() - Date.parse(lastUsed!)).toBeLessThan(60_000);
    });
  });

  describe('secrets and changes (rotation, expiry, scope updates, deletion)', () => {
    const call = () => api(h.server, h.adminToken);

    it('keeps several secrets working at once, until one is deleted', async () => {
      const app = await create({
        name: 'Rotating',
        isConfidential: true,
        scopes: [{ name: 'OR.Jobs', type: 'application' }],
      });
      const generated = await call()('POST', '/ExternalClient/GenerateSecret', {
        clientId: app.id,
        partitionGlobalId: h.server.partitionGlobalId,
        description: 'second',
        expiryTime: null,
      });
      expect(generated.status).toBe(200);
      const second = generated.body as { id: string; secret: string; description: string; expiryTime: string | null };
      h.secretsSeen.push(second.secret);
      expect(second).toMatchObject({ description: 'second', expiryTime: null });

      await clientCredentials(h.server, app.id, app.secret!, 'OR.Jobs');
      await clientCredentials(h.server, app.id, second.secret, 'OR.Jobs');

      const removed = await call()(
        'DELETE',
        `/ExternalClient/${h.server.partitionGlobalId}/secrets/${app.secrets[0]!.id}`,
      );
      expect(removed.status).toBe(204);
      expect(await tokenError(clientCredentials(h.server, app.id, app.secret!, 'OR.Jobs'))).toBe('invalid_client');
      await clientCredentials(h.server, app.id, second.secret, 'OR.Jobs');
    });

    it('refuses an expired secret with invalid_client, and an expiry in the past', async () => {
      const app = await create({
        name: 'Expiring',
        isConfidential: true,
        scopes: [{ name: 'OR.Jobs', type: 'application' }],
      });
      const past = await call()('POST', '/ExternalClient/GenerateSecret', {
        clientId: app.id,
        partitionGlobalId: h.server.partitionGlobalId,
        description: null,
        expiryTime: new Date(Date.now() - 1000).toISOString(),
      });
      expect(past.status).toBe(400);
      expect((past.body as { errors: object }).errors).toHaveProperty('expiryTime');

      const soon = await call()('POST', '/ExternalClient/GenerateSecret', {
        clientId: app.id,
        partitionGlobalId: h.server.partitionGlobalId,
        description: 'short-lived',
        expiryTime: new Date(Date.now() + 1500).toISOString(),
      });
      const secret = (soon.body as { secret: string }).secret;
      h.secretsSeen.push(secret);
      await clientCredentials(h.server, app.id, secret, 'OR.Jobs');
      await new Promise((resolve) => setTimeout(resolve, 1700));
      expect(await tokenError(clientCredentials(h.server, app.id, secret, 'OR.Jobs'))).toBe('invalid_client');
    });

    it('puts updated scopes into new tokens and refuses removed ones', async () => {
      const app = await create({
        name: 'Changing',
        isConfidential: true,
        scopes: [{ name: 'OR.Jobs', type: 'application' }],
      });
      const updated = await call()('PUT', `/ExternalClient/${h.server.partitionGlobalId}/${app.id}`, {
        name: 'Changed',
        redirectUri: null,
        scopes: [{ name: 'OR.Assets.Read', type: 'application' }],
      });
      // As UiPath: 200 with no body; the application is read again to see it.
      expect(updated.status).toBe(200);
      expect(updated.body).toBeUndefined();
      const reread = await call()('GET', `/ExternalClient/${h.server.partitionGlobalId}/${app.id}`);
      expect((reread.body as ExternalClient).name).toBe('Changed');
      const claims = await verified(h.server, await clientCredentials(h.server, app.id, app.secret!, 'OR.Assets.Read'));
      expect(claims.scope).toBe('OR.Assets.Read');
      expect(await tokenError(clientCredentials(h.server, app.id, app.secret!, 'OR.Jobs'))).toBe('invalid_scope');

      const badUpdate = await call()('PUT', `/ExternalClient/${h.server.partitionGlobalId}/${app.id}`, {
        name: '',
        scopes: [{ name: 'OR.Jobs', type: 'application' }],
      });
      expect(badUpdate.status).toBe(400);
      const unchanged = await call()('GET', `/ExternalClient/${h.server.partitionGlobalId}/${app.id}`);
      expect((unchanged.body as ExternalClient).name).toBe('Changed');
    });

    it('deletes an application: it is gone and its secret no longer works', async () => {
      const app = await create({
        name: 'Short-lived app',
        isConfidential: true,
        scopes: [{ name: 'OR.Jobs', type: 'application' }],
      });
      expect((await call()('DELETE', `/ExternalClient/${h.server.partitionGlobalId}/${app.id}`)).status).toBe(204);
      expect((await call()('GET', `/ExternalClient/${h.server.partitionGlobalId}/${app.id}`)).status).toBe(404);
      expect(await tokenError(clientCredentials(h.server, app.id, app.secret!, 'OR.Jobs'))).toBe('invalid_client');
    });
  });

  describe('authorization endpoint (ready for the sign-in flow)', () => {
    let spa: CreatedClient;
    const authorize = (params: Record<string, string>) =>
      fetch(
        `${h.server.baseUrl}/${h.server.orgName}/identity_/connect/authorize?${new URLSearchParams({
          client_id: spa.id,
          response_type: 'code',
          redirect_uri: 'http://127.0.0.1:9999/callback',
          scope: 'OR.Folders.Read offline_access',
          code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGcSjsCsTs',
          code_challenge_method: 'S256',
          acr_values: `tenantName:${h.server.orgName}`,
          ...params,
        }).toString()}`,
        { redirect: 'manual' },
      );

    beforeAll(async () => {
      spa = await create({
        name: 'Browser app',
        isConfidential: false,
        redirectUri: 'http://127.0.0.1:5173/callback',
        scopes: [{ name: 'OR.Folders.Read', type: 'user' }],
      });
    });

    it('accepts UiPath’s organisation acr_values and a loopback redirect on another port, and keeps the sign-in under /identity_', async () => {
      const response = await authorize({});
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toMatch(/^\/identity_\/interaction\/[\w-]+$/);
    });

    it('refuses a redirect URL that was not registered, and a request without PKCE', async () => {
      const wrongRedirect = await authorize({ redirect_uri: 'https://attacker.example.com/callback' });
      expect(wrongRedirect.status).toBe(400);
      expect(await wrongRedirect.text()).toContain('invalid_redirect_uri');

      const noPkce = await authorize({ code_challenge: '', code_challenge_method: '' });
      const location = new URL(noPkce.headers.get('location')!);
      expect(location.origin + location.pathname).toBe('http://127.0.0.1:9999/callback');
      expect(location.searchParams.get('error')).toBe('invalid_request');
    });

    it('lets the app’s own origin, and no other, call the token endpoint from a browser', async () => {
      const preflight = (origin: string) =>
        fetch(`${h.server.issuer}/connect/token`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST' },
        });
      expect((await preflight('http://127.0.0.1:5173')).headers.get('access-control-allow-origin')).toBe(
        'http://127.0.0.1:5173',
      );
      const other = await fetch(`${h.server.issuer}/connect/token`, {
        method: 'POST',
        headers: { origin: 'https://attacker.example.com', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: spa.id,
          code: 'x',
          redirect_uri: 'http://127.0.0.1:5173/callback',
        }),
      });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('users of the local organisation', () => {
    let usersToken: string;
    const users = (form: 'org' | 'plain' = 'org') => api(h.server, usersToken, form);
    const password = 'a long enough password';

    beforeAll(async () => {
      usersToken = await clientCredentials(h.server, h.admin.clientId, h.admin.secret, 'PM.User');
      h.secretsSeen.push(password);
    });

    it('answers 401 without a token and 403 to a token without a PM.User scope', async () => {
      expect((await api(h.server, null)('GET', '/User')).status).toBe(401);
      expect((await api(h.server, h.adminToken)('GET', '/User')).status).toBe(403);
      expect((await api(h.server, h.adminToken)('POST', '/User', { userName: 'x', password })).status).toBe(403);
      expect((await api(h.server, h.adminToken)('DELETE', '/User/x')).status).toBe(403);
    });

    it('creates a user without returning or storing its password, and lists it under both path forms', async () => {
      const created = await users()('POST', '/User', { userName: ' carol ', displayName: 'Carol C.', password });
      expect(created.status).toBe(201);
      const carol = created.body as LocalUser;
      expect(carol).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
        userName: 'carol',
        displayName: 'Carol C.',
        creationTime: expect.any(String) as unknown,
      });
      const withoutDisplayName = await users()('POST', '/User', { userName: 'dave', password });
      expect((withoutDisplayName.body as LocalUser).displayName).toBe('dave');
      for (const form of ['org', 'plain'] as const) {
        const listed = (await users(form)('GET', '/User')).body as LocalUser[];
        expect(listed).toContainEqual(carol);
        expect(JSON.stringify(listed)).not.toContain(password);
      }
    });

    it('answers 400 with the user rules’ messages and creates nothing', async () => {
      const before = ((await users()('GET', '/User')).body as LocalUser[]).length;
      const bad = await users()('POST', '/User', { userName: 'has space', password: 'short' });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({
        status: 400,
        title: 'One or more validation errors occurred.',
        errors: {
          userName: ['User name may contain only letters, digits and . _ @ -'],
          password: ['Password must be at least 8 characters.'],
        },
      });
      const empty = await users()('POST', '/User', { userName: '   ', password });
      expect((empty.body as { errors: object }).errors).toEqual({ userName: ['User name is required.'] });
      const missing = await users()('POST', '/User', {});
      expect(Object.keys((missing.body as { errors: object }).errors).sort()).toEqual(['password', 'userName']);
      expect(((await users()('GET', '/User')).body as LocalUser[]).length).toBe(before);
    });

    it('answers 409 to a user name that exists, whatever its case', async () => {
      expect((await users()('POST', '/User', { userName: 'erin', password })).status).toBe(201);
      const again = await users()('POST', '/User', { userName: 'ERIN', password });
      expect(again.status).toBe(409);
      expect((again.body as { errors: Record<string, string[]> }).errors.userName).toHaveLength(1);
    });

    it('deletes a user (204), then answers 404 for it', async () => {
      expect((await users()('POST', '/User', { userName: 'frank', password })).status).toBe(201);
      expect((await users('plain')('DELETE', '/User/Frank')).status).toBe(204);
      expect((await users()('DELETE', '/User/frank')).status).toBe(404);
      expect(((await users()('GET', '/User')).body as LocalUser[]).map((u) => u.userName)).not.toContain('frank');
    });
  });

  describe('admin application', () => {
    it('is created once, and can be given a new secret when the old one was lost', async () => {
      const again = await h.server.ensureAdminClient();
      expect(again.secret).toBeNull();
      const reissued = await h.server.ensureAdminClient({ reissueSecret: true });
      expect(reissued.clientId).toBe(again.clientId);
      h.secretsSeen.push(reissued.secret!.value);
      const token = await clientCredentials(h.server, reissued.clientId, reissued.secret!.value, 'PM.OAuthApp');
      expect((await verified(h.server, token)).scope).toBe('PM.OAuthApp');
    });

    it('gets PM.User back when an older admin application lacks it', async () => {
      const path = `/ExternalClient/${h.server.partitionGlobalId}/${h.admin.clientId}`;
      const narrowed = await api(h.server, h.adminToken)('PUT', path, {
        name: 'OAuth Desk admin',
        scopes: [
          { name: 'PM.OAuthApp', type: 'application' },
          { name: 'PM.OAuthAppSecret.Write', type: 'application' },
        ],
      });
      expect(narrowed.status).toBe(200);
      expect(await tokenError(clientCredentials(h.server, h.admin.clientId, h.admin.secret, 'PM.User'))).toBe(
        'invalid_scope',
      );
      await h.server.ensureAdminClient();
      const token = await clientCredentials(h.server, h.admin.clientId, h.admin.secret, 'PM.User');
      expect((await verified(h.server, token)).scope).toBe('PM.User');
    });
  });

  describe('on disk', () => {
    it('keeps clients, partition and keys across a restart on the same data folder', async () => {
      const before = await api(h.server, h.adminToken)('GET', `/ExternalClient/${h.server.partitionGlobalId}`);
      const jwksBefore: unknown = await (
        await fetch(`${h.server.issuer}/.well-known/openid-configuration/jwks`)
      ).json();
      const { partitionGlobalId } = h.server;
      await h.server.close();

      h.server = await startIdentityServer({ dataDir, port: 0 });
      expect(h.server.partitionGlobalId).toBe(partitionGlobalId);
      expect(await (await fetch(`${h.server.issuer}/.well-known/openid-configuration/jwks`)).json()).toEqual(
        jwksBefore,
      );
      const admin = await h.server.ensureAdminClient();
      expect(admin.secret).toBeNull();

      // The issuer moved with the port, so old tokens are void; the admin's reissued secret still works.
      const reissued = h.secretsSeen.at(-1)!;
      h.adminToken = await clientCredentials(h.server, admin.clientId, reissued, 'PM.OAuthApp');
      const after = await api(h.server, h.adminToken)('GET', `/ExternalClient/${h.server.partitionGlobalId}`);
      // Everything but the admin secret's last use, which the new token just moved.
      const withoutLastUse = (clients: unknown) =>
        (clients as ExternalClient[]).map((c) => ({
          ...c,
          secrets: c.secrets.map(({ lastUsedTime: _t, ...secret }) => secret),
        }));
      expect(withoutLastUse(after.body)).toEqual(withoutLastUse(before.body));
    });

    it('holds no secret value in any file of its data folder', () => {
      expect(h.secretsSeen.length).toBeGreaterThan(5);
      const files = readdirSync(dataDir).map((name) => join(dataDir, name));
      expect(files.some((f) => f.endsWith('identity.db'))).toBe(true);
      for (const file of files) {
        const bytes = readFileSync(file);
        for (const secret of h.secretsSeen)
          expect(bytes.includes(Buffer.from(secret)), `${secret.slice(0, 4)}… in ${file}`).toBe(false);
      }
    });
  });
});

describe('playing another organisation', () => {
  it('serves organisation acme under /acme/identity_ only, its tokens naming its partition in prt_id', async () => {
    const dataDir = tempDataDir();
    const acme = await startIdentityServer({ dataDir, port: 0, orgName: 'acme' });
    try {
      expect(acme.orgName).toBe('acme');
      expect((await fetch(`${acme.baseUrl}/acme/identity_/.well-known/openid-configuration`)).status).toBe(200);
      expect((await fetch(`${acme.baseUrl}/local/identity_/.well-known/openid-configuration`)).status).toBe(404);
      const admin = await acme.ensureAdminClient();
      const token = await clientCredentials(acme, admin.clientId, admin.secret!.value, 'PM.OAuthApp');
      const claims = await verified(acme, token);
      expect(claims.prt_id).toBe(acme.partitionGlobalId);
      expect(claims.aud).toBe(`${acme.baseUrl}/acme`);
      expect((await api(acme, token)('GET', `/ExternalClient/${acme.partitionGlobalId}`)).status).toBe(200);
    } finally {
      await acme.close();
    }
  });
});

describe('expired oidc-provider records', () => {
  it('are deleted by the sweep at the time it is given, and the live ones kept', async () => {
    const dataDir = tempDataDir();
    const server = await startIdentityServer({ dataDir, port: 0 });
    // A second connection to the running server's database, as the sweep uses it.
    const db = openIdentityDatabase(dataDir);
    try {
      await new OidcModelAdapter(db, 'Session').upsert('short-session', { accountId: 'someone' }, 60);
      await new OidcModelAdapter(db, 'RefreshToken').upsert(
        'long-token',
        { accountId: 'someone', clientId: 'an-app' },
        24 * 3600,
      );
      const ids = () =>
        (db.prepare('SELECT id FROM oidc_model ORDER BY id').all() as { id: string }[]).map((row) => row.id);
      const records = new OidcRecords(db);

      expect(records.deleteExpired(new Date())).toBe(0);
      // Records are keyed by the SHA-256 of their ID, never by the ID itself.
      expect(ids()).toEqual([recordKey('long-token'), recordKey('short-session')].sort());
      expect(records.deleteExpired(new Date(Date.now() + 61_000))).toBe(1);
      expect(ids()).toEqual([recordKey('long-token')]);
    } finally {
      db.close();
      await server.close();
    }
  });

  it('are deleted when the server starts', async () => {
    const dataDir = tempDataDir();
    await (await startIdentityServer({ dataDir, port: 0 })).close();
    const db = openIdentityDatabase(dataDir);
    const past = Math.floor(Date.now() / 1000) - 10;
    db.prepare('INSERT INTO oidc_model (model, id, payload, expires_at) VALUES (?, ?, ?, ?)').run(
      'AuthorizationCode',
      'old-code',
      '{}',
      past,
    );
    db.prepare('INSERT INTO oidc_model (model, id, payload, expires_at) VALUES (?, ?, ?, ?)').run(
      'Grant',
      'live-grant',
      '{}',
      past + 3600,
    );
    db.close();

    const server = await startIdentityServer({ dataDir, port: 0 });
    await server.close();
    const reopened = openIdentityDatabase(dataDir);
    try {
      expect(reopened.prepare('SELECT id FROM oidc_model').all()).toEqual([{ id: 'live-grant' }]);
    } finally {
      reopened.close();
    }
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once the organisation’s GET limit is used up', async () => {
    const h = await startHarness(tempDataDir(), { get: 2, windowSeconds: 120 });
    try {
      const call = api(h.server, h.adminToken);
      expect((await call('GET', '/ExternalApiResource')).status).toBe(200);
      expect((await call('GET', `/ExternalClient/${h.server.partitionGlobalId}`)).status).toBe(200);
      const limited = await call('GET', '/ExternalApiResource');
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(120);
      expect(limited.body).toMatchObject({ status: 429, title: expect.stringContaining('Retry after') as unknown });
      // The limit is the organisation's: the other URL form shares it; other methods have their own.
      expect((await api(h.server, h.adminToken, 'plain')('GET', '/ExternalApiResource')).status).toBe(429);
      const created = await call('POST', '/ExternalClient', {
        partitionGlobalId: h.server.partitionGlobalId,
        name: 'Still allowed',
        isConfidential: true,
        scopes: [{ name: 'OR.Jobs', type: 'application' }],
      });
      expect(created.status).toBe(201);
    } finally {
      await h.server.close();
    }
  });
});
