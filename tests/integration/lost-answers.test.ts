// An answer lost after the organisation committed never doubles an application: a fault proxy of our own forwards a
// create to a real second server, and drops the connection once that server has answered (or answers 502, or drops
// it before forwarding). OAuth Desk reads back before it says anything, and says what is true; running the command
// again does not make a second application unless asked for by name.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import { cliOf, freePort, useDeskHome, type OpenedDesk } from './support';

const desk = useDeskHome();
const cli = cliOf(desk, await freePort());
type Fault = 'none' | 'drop-after-commit' | 'drop-before' | '502-after-commit';

/** Forwards every request to `upstream`; a POST of ExternalClient meets `fault()`. */
function faultProxy(upstream: string, fault: () => Fault): Promise<{ server: Server; url: string }> {
  const target = new URL(upstream);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const creating = req.method === 'POST' && /\/ExternalClient\/?$/.test(req.url ?? '');
    const mode = creating ? fault() : 'none';
    if (mode === 'drop-before') {
      req.socket.destroy();
      return;
    }
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          // The organisation has committed and answered; the answer is lost on the way back, or becomes a 502.
          if (mode === 'drop-after-commit') req.socket.destroy();
          else if (mode === '502-after-commit')
            res.writeHead(502, { 'content-type': 'application/json' }).end('{"title":"Bad gateway"}');
          else res.writeHead(answer.statusCode ?? 500, answer.headers).end(Buffer.concat(chunks));
        });
      },
    );
    forwarded.on('error', () => res.destroy());
    req.on('error', () => undefined);
    req.pipe(forwarded);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
    });
  });
}

describe('a create whose answer is lost', { timeout: 120_000 }, () => {
  let acme: RunningIdentityServer;
  let proxy: { server: Server; url: string };
  let fault: Fault = 'none';
  let opened: OpenedDesk;

  beforeAll(async () => {
    acme = await startIdentityServer({ dataDir: desk.tempDir(), port: 0, orgName: 'acme' });
    proxy = await faultProxy(acme.baseUrl, () => fault);
    opened = await desk.open();
    const admin = await acme.ensureAdminClient();
    await opened.call('addOrganisation', {
      id: 'acme',
      baseUrl: proxy.url,
      orgName: 'acme',
      signIn: { method: 'adminApp', clientId: admin.clientId, clientSecret: admin.secret?.value ?? '' },
    });
  });
  afterAll(async () => {
    proxy.server.close();
    await acme.close();
  });

  const named = async (name: string) =>
    (await opened.call('listApps', { organisation: 'acme', refresh: true })).filter((a) => a.name === name);

  it('after the organisation committed: says it was created, lists it once, and asks before a second', async () => {
    fault = 'drop-after-commit';
    const lost = await cli(['apps', 'create', 'Invoice sync', '--org', 'acme', '--app-scope', 'OR.Jobs']);
    fault = 'none';
    expect(lost.code).toBe(1);
    expect(lost.stderr).toMatch(/“Invoice sync” was created in acme, but its answer was lost/);
    expect(lost.stderr).toContain('generate a new one');
    expect(await named('Invoice sync')).toHaveLength(1);

    const again = await cli(['apps', 'create', 'Invoice sync', '--org', 'acme', '--app-scope', 'OR.Jobs']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists here');
    expect(await named('Invoice sync')).toHaveLength(1);

    const meant = await cli([
      'apps',
      'create',
      'Invoice sync',
      '--org',
      'acme',
      '--app-scope',
      'OR.Jobs',
      '--allow-duplicate-name',
    ]);
    expect(meant.code).toBe(0);
    expect(await named('Invoice sync')).toHaveLength(2);
  });

  it('after a 502 from a gateway that had forwarded it: the same truth', async () => {
    fault = '502-after-commit';
    const run = await cli(['apps', 'create', 'Payroll export', '--org', 'acme', '--app-scope', 'OR.Jobs']);
    fault = 'none';
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/“Payroll export” was created in acme, but its answer was lost \(acme answered 502/);
    expect(await named('Payroll export')).toHaveLength(1);
  });

  it('before it reached the organisation: says nothing was created, and running it again works', async () => {
    fault = 'drop-before';
    const run = await cli(['apps', 'create', 'Never sent', '--org', 'acme', '--app-scope', 'OR.Jobs']);
    fault = 'none';
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('so nothing was created. Run it again.');
    expect(await named('Never sent')).toHaveLength(0);
    expect((await cli(['apps', 'create', 'Never sent', '--org', 'acme', '--app-scope', 'OR.Jobs'])).code).toBe(0);
    expect(await named('Never sent')).toHaveLength(1);
  });
});
