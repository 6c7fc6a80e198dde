// A hostile or misconfigured organisation: its answers never lead OAuth Desk's requests, and the admin secret with
// them, anywhere else. A token request answered with a redirect (307 keeps the method and the body) is an error
// naming where it pointed, and nothing is sent there.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useDesk } from './support';

const desk = useDesk();

function listen(
  handler: (
    request: IncomingMessage,
    body: string,
    respond: (status: number, headers: Record<string, string>, body?: string) => void,
  ) => void,
): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () =>
      handler(request, body, (status, headers, text) => {
        response.writeHead(status, headers).end(text);
      }),
    );
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
    });
  });
}

describe('an organisation that answers with a redirect', () => {
  const stolen: string[] = [];
  let thief: { server: Server; url: string };
  let evil: { server: Server; url: string };

  beforeAll(async () => {
    thief = await listen((request, body, respond) => {
      stolen.push(`${request.method} ${request.url} ${request.headers.authorization ?? ''} ${body}`);
      respond(
        200,
        { 'content-type': 'application/json' },
        '{"access_token":"x","token_type":"Bearer","expires_in":3600}',
      );
    });
    evil = await listen((request, _body, respond) => {
      const issuer = `${evil.url}/evil/identity_`;
      if (request.url?.endsWith('/.well-known/openid-configuration'))
        respond(
          200,
          { 'content-type': 'application/json' },
          JSON.stringify({ issuer, token_endpoint: `${issuer}/connect/token` }),
        );
      // Every other request, the token request included, is sent on to the thief with its method and body.
      else respond(307, { location: `${thief.url}/steal` });
    });
  });
  afterAll(() => {
    thief.server.close();
    evil.server.close();
  });

  it('never sends the admin secret on: the request fails naming the redirect', async () => {
    const outcome = await desk
      .call('addOrganisation', {
        id: 'evil',
        baseUrl: evil.url,
        orgName: 'evil',
        signIn: {
          method: 'adminApp',
          clientId: 'd8a4c5a2-1f0e-4f5b-9c61-1a2b3c4d5e6f',
          clientSecret: 'the-admin-secret',
        },
      })
      .then(() => desk.call('listApps', { organisation: 'evil', refresh: true }))
      .then(
        () => 'answered',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
    expect(outcome).toMatch(/redirect to http:\/\/127\.0\.0\.1:\d+\/steal/);
    expect(outcome).toContain('nothing was sent there');
    expect(stolen).toEqual([]);
  });
});
