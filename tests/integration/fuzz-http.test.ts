// The management HTTP API of a real embedded Identity Server, with generated hostile requests (fast-check): bodies
// shaped after its request schemas, garbage bodies, hostile path segments. Every answer is a success or a problem
// (4xx, never 5xx) whose validation errors name a field; after a refusal, no row of the server's database changed.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateClientBody,
  CreateUserBody,
  GenerateSecretBody,
  UpdateClientBody,
} from '../../src/identity-server/management/requestBodies';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import { dumpDatabase } from '../unit/fuzz-dump';
import { hostileInputFor, hostileText, jsonText } from '../unit/fuzz-hostile';

export const HTTP_CASES = 1000;
/** Changes by itself: the admin secret's last use, and oidc-provider's records of the tokens it issues. */
const NOISE = { client_secret: ['last_used_time'], oidc_model: ['*'] };

let dataDir: string;
let server: RunningIdentityServer;
let token: string;
let appId: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'oauth-desk-fuzz-http-'));
  const unlimited = { get: 1e9, post: 1e9, put: 1e9, patch: 1e9, delete: 1e9 };
  server = await startIdentityServer({ dataDir, port: 0, rateLimits: unlimited });
  const admin = await server.ensureAdminClient();
  const config = await oidc.discovery(
    new URL(server.issuer),
    admin.clientId,
    undefined,
    oidc.ClientSecretBasic(admin.secret!.value),
    { execute: [oidc.allowInsecureRequests] },
  );
  token = (await oidc.clientCredentialsGrant(config, { scope: 'PM.OAuthApp PM.OAuthAppSecret.Write PM.User' }))
    .access_token;
  const created = await send('POST', '/ExternalClient', {
    json: {
      partitionGlobalId: server.partitionGlobalId,
      name: 'Fuzz target',
      isConfidential: true,
      scopes: [{ name: 'OR.Jobs', type: 'application' }],
    },
  });
  expect(created.status).toBe(201);
  appId = (created.body as { id: string }).id;
}, 60_000);

afterAll(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  body: unknown;
}

async function send(
  method: string,
  path: string,
  body: { json: unknown } | { raw: string; type: string } | null = null,
): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  let payload: string | undefined;
  if (body && 'json' in body) {
    headers['content-type'] = 'application/json';
    payload = jsonText(body.json, 'null');
  } else if (body) {
    headers['content-type'] = body.type;
    payload = body.raw;
  }
  const response = await fetch(`${server.baseUrl}/${server.orgName}/identity_/api${path}`, {
    method,
    headers,
    body: payload,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: kept as text for the failure message.
  }
  return { status: response.status, body: parsed };
}

/** A path segment as a URL carries it: encoded when it can be, raw when it cannot (a lone surrogate). */
function segment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text;
  }
}

const plausible = (): Record<string, readonly unknown[]> => ({
  partitionGlobalId: [server.partitionGlobalId],
  clientId: [appId],
  name: ['Fuzzed app'],
  isConfidential: [true, false],
  redirectUri: [null, 'http://127.0.0.1:7999/callback'],
  scopes: [[{ name: 'OR.Jobs', type: 'application' }], [{ name: 'OR.Folders.Read', type: 'user' }], []],
  type: ['user', 'application'],
  description: ['rotation', null],
  expiryTime: [new Date(Date.now() + 86_400_000).toISOString(), '2001-01-01T00:00:00Z'],
  userName: ['fuzz-user'],
  displayName: ['Fuzz User'],
  password: ['a long enough password'],
});

/** One generated request: a route of the API and what is sent to it. */
function requests(): fc.Arbitrary<{ method: string; path: string; body: Parameters<typeof send>[2] }> {
  const values = plausible();
  const jsonTo = (method: string, path: string, schema: Parameters<typeof hostileInputFor>[0]) =>
    hostileInputFor(schema, values).map((json) => ({ method, path, body: { json } }));
  const pid = server.partitionGlobalId;
  const garbage = fc.record({
    method: fc.constantFrom('POST', 'PUT'),
    path: fc.constantFrom(
      '/ExternalClient',
      `/ExternalClient/${pid}/${appId}`,
      '/User',
      '/ExternalClient/GenerateSecret',
    ),
    body: fc.record({
      raw: fc.oneof(hostileText, fc.constant('{"name": '), fc.constant('[]'), fc.constant('{"__proto__": {"x": 1}}')),
      type: fc.constantFrom(
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json; charset=utf-16',
      ),
    }),
  });
  const hostilePath = fc
    .tuple(
      fc.constantFrom(
        (s: string) => ({ method: 'GET', path: `/ExternalClient/${pid}/${s}` }),
        (s: string) => ({ method: 'GET', path: `/ExternalClient/${s}` }),
        (s: string) => ({ method: 'DELETE', path: `/ExternalClient/${pid}/secrets/${s}` }),
        (s: string) => ({ method: 'DELETE', path: `/User/${s}` }),
        (s: string) => ({ method: 'PATCH', path: `/ExternalClient/${pid}/${s}` }),
      ),
      hostileText.filter((s) => s.length < 2000),
    )
    .map(([route, text]) => ({ ...route(segment(text)), body: null }));
  return fc.oneof(
    { weight: 3, arbitrary: jsonTo('POST', '/ExternalClient', CreateClientBody) },
    { weight: 3, arbitrary: jsonTo('PUT', `/ExternalClient/${pid}/${appId}`, UpdateClientBody) },
    { weight: 2, arbitrary: jsonTo('POST', '/ExternalClient/GenerateSecret', GenerateSecretBody) },
    { weight: 1, arbitrary: jsonTo('POST', '/User', CreateUserBody) },
    { weight: 2, arbitrary: garbage },
    { weight: 2, arbitrary: hostilePath },
  );
}

/** A problem as the API documents it: 4xx, a title, and for a 400, errors per field with sentences. */
function expectProblemOrSuccess(answer: Answer, what: string): void {
  const context = `${what} -> ${answer.status} ${jsonText(answer.body).slice(0, 300)}`;
  expect(answer.status, context).toBeLessThan(500);
  if (answer.status < 400) return;
  const problem = answer.body as { title?: unknown; errors?: Record<string, unknown> };
  expect(typeof problem.title === 'string' && problem.title.length > 0, context).toBe(true);
  if (answer.status !== 400) return;
  const errors = Object.entries(problem.errors ?? {});
  expect(errors.length, context).toBeGreaterThan(0);
  for (const [field, messages] of errors) {
    expect(field, context).toMatch(/\S/);
    expect(Array.isArray(messages) && messages.every((m) => typeof m === 'string' && /\S/.test(m)), context).toBe(true);
  }
}

describe('fuzzing the management API over HTTP', { timeout: 300_000 }, () => {
  it(`answers ${HTTP_CASES} hostile requests with a success or a field-naming problem, changing nothing it refuses`, async () => {
    const database = join(dataDir, 'identity.db');
    await fc.assert(
      fc.asyncProperty(requests(), async ({ method, path, body }) => {
        const was = dumpDatabase(database, NOISE);
        const answer = await send(method, path, body);
        const what = `${method} ${path.slice(0, 200)} ${jsonText(body).slice(0, 200)}`;
        expectProblemOrSuccess(answer, what);
        if (answer.status >= 400)
          expect(dumpDatabase(database, NOISE) === was, `${what} changed the database`).toBe(true);
      }),
      // Found once, tried on every run: the router's 405 answered in plain text, not as a problem.
      { numRuns: HTTP_CASES, examples: [[{ method: 'DELETE', path: '/User/', body: null }]] },
    );
  });
});
