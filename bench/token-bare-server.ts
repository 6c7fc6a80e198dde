// A bare oidc-provider for the token benchmark's comparison: the embedded server's token configuration (client
// credentials, a JWT access token for one resource, RS256 with the same key), one static client, oidc-provider's
// own memory adapter, on a bare node:http server: no Koa router, rate limits or hashed-secret store around it.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { ServerKeys } from '../src/identity-server/store/signingKeys';

const keyFile = process.argv[2];
if (!keyFile) throw new Error('usage: token-bare-server.ts <signing-keys.json>');
const keys = JSON.parse(readFileSync(keyFile, 'utf8')) as ServerKeys;

const server = createServer();
await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/identity_`;
const audience = `${issuer}/api`;
const clientId = randomUUID();
const secret = randomUUID();

const provider = new Provider(issuer, {
  jwks: { keys: keys.signing },
  cookies: { keys: keys.cookies },
  scopes: ['OR.Jobs'],
  clients: [
    {
      client_id: clientId,
      client_secret: secret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  routes: { token: '/connect/token' },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'OR.Jobs',
        audience,
        accessTokenFormat: 'jwt',
        accessTokenTTL: 3600,
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  extraTokenClaims: () => ({ prt_id: 'bench' }),
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
