// A bare oidc-provider for the token benchmark's comparison: the embedded server's own provider configuration
// (providerConfiguration: features, scopes, TTLs, a JWT access token with `prt_id`, RS256 with the same key), one
// static client with the same metadata as a stored one, oidc-provider's own memory adapter, on a bare node:http
// server: no SQLite, hashed-secret store, router or management API around it.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { loadCatalogue } from '../src/identity-server/catalog';
import { toClientMetadata } from '../src/identity-server/oauth/clientMetadata';
import { providerConfiguration } from '../src/identity-server/oauth/provider';
import type { ServerKeys } from '../src/identity-server/store/signingKeys';

const keyFile = process.argv[2];
if (!keyFile) throw new Error('usage: token-bare-server.ts <signing-keys.json>');
const keys = JSON.parse(readFileSync(keyFile, 'utf8')) as ServerKeys;

const server = createServer();
await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const issuer = `${baseUrl}/identity_`;
const partitionGlobalId = randomUUID();
const clientId = randomUUID();
// As long as a generated secret (store/secretValue.ts), so that both servers parse the same size of request.
const secret = randomBytes(32).toString('base64url');

const provider = new Provider(issuer, {
  ...providerConfiguration({
    apiAudience: `${baseUrl}/local`,
    keys,
    catalogue: loadCatalogue(),
    users: { get: () => null },
    partitionGlobalId,
  }),
  clients: [
    {
      ...toClientMetadata({
        id: clientId,
        partitionGlobalId,
        name: 'Token benchmark',
        isConfidential: true,
        redirectUri: null,
        scopes: [{ name: 'OR.Jobs', type: 'application' }],
      }),
      client_secret: secret,
    },
  ],
});
const callback = provider.callback();
server.on('request', (req, res) => {
  // Mounted under /identity_, as the embedded server's provider is.
  req.url = req.url?.replace(/^\/identity_/, '') ?? '/';
  void callback(req, res);
});

process.stdout.write(
  `${JSON.stringify({ tokenUrl: `${issuer}/connect/token`, clientId, secret, scope: 'OR.Jobs' })}\n`,
);
process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
