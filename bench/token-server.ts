// Runs the embedded Identity Server in its own process for the token benchmark, with one confidential application
// holding an application scope, and prints what the load generator needs as one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startIdentityServer } from '../src/identity-server/server';

const dataDir = mkdtempSync(join(tmpdir(), 'oauth-desk-bench-'));
const server = await startIdentityServer({ dataDir, port: 0, rateLimits: { post: 10_000_000, get: 10_000_000 } });
const admin = await server.ensureAdminClient();
if (!admin.secret) throw new Error('the admin application of a new server has no secret');
const tokenUrl = `${server.issuer}/connect/token`;

async function token(clientId: string, secret: string, scope: string): Promise<string> {
  const res = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope }),
  });
  if (!res.ok) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

const adminToken = await token(admin.clientId, admin.secret.value, 'PM.OAuthApp');
const created = await fetch(`${server.baseUrl}/${server.orgName}/identity_/api/ExternalClient`, {
  method: 'POST',
  headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
  body: JSON.stringify({
    partitionGlobalId: server.partitionGlobalId,
    name: 'Token benchmark',
    isConfidential: true,
    redirectUri: null,
    scopes: [{ name: 'OR.Jobs', type: 'application' }],
  }),
});
if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
const app = (await created.json()) as { id: string; secret: string };

// The signing key's file too: the raw signing reference and the bare provider use the same key.
const keyFile = join(dataDir, 'signing-keys.json');
process.stdout.write(
  `${JSON.stringify({ tokenUrl, clientId: app.id, secret: app.secret, scope: 'OR.Jobs', keyFile })}\n`,
);
process.on('SIGTERM', () => {
  void server.close().finally(() => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});
