// Token endpoint throughput (client_credentials) against the same key's raw RS256 signing rate on one core, and
// against a bare oidc-provider of the same configuration; and the embedded server's cold start, spawn to first token.
// Each server runs in its own process; the load comes from this one, over keep-alive connections, the same for both.
import { spawn, type ChildProcess } from 'node:child_process';
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { ServerKeys } from '../src/identity-server/store/signingKeys';
import { median } from './stats';

const ROOT = resolve(import.meta.dirname, '..');

export interface TokenBench {
  rawSignPerSecond: number;
  tokensPerSecond: number;
  bareTokensPerSecond: number;
  ratio: number;
  bareRatio: number;
  failures: number;
}

/** Signatures per second of one core with `key` over a typical access token's signing input. */
export function rawRs256Rate(key: KeyObject, seconds = 2): number {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'at+jwt', kid: 'k' })).toString('base64url');
  const payload = Buffer.from(
    JSON.stringify({
      iss: 'http://127.0.0.1/identity_',
      sub: 'x',
      client_id: 'x',
      scope: 'OR.Jobs',
      exp: 1,
      iat: 0,
      jti: 'j',
    }),
  ).toString('base64url');
  const input = Buffer.from(`${header}.${payload}`);
  for (let i = 0; i < 50; i++) sign('sha256', input, key);
  let count = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    sign('sha256', input, key);
    count++;
  }
  return count / ((performance.now() - start) / 1000);
}

interface ServerInfo {
  tokenUrl: string;
  clientId: string;
  secret: string;
  scope: string;
  keyFile?: string;
}

async function startServer(script: string, args: string[] = []): Promise<{ info: ServerInfo; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolved, failed) => {
    createInterface({ input: child.stdout }).once('line', resolved);
    child.once('exit', (code) => failed(new Error(`${script} exited with ${code}`)));
  });
  return { info: JSON.parse(line) as ServerInfo, child };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}

/** One token request; answers the HTTP status. */
function tokenRequest(info: ServerInfo, agent?: Agent): Promise<number> {
  const url = new URL(info.tokenUrl);
  const body = new URLSearchParams({ grant_type: 'client_credentials', scope: info.scope }).toString();
  const auth = `Basic ${Buffer.from(`${encodeURIComponent(info.clientId)}:${encodeURIComponent(info.secret)}`).toString('base64')}`;
  return new Promise<number>((resolved, failed) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: auth,
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolved(res.statusCode ?? 0));
      },
    );
    req.on('error', failed);
    req.end(body);
  });
}

/** Tokens per second over `seconds` after a warm-up, with `concurrency` requests in flight. */
async function throughput(info: ServerInfo, seconds: number, concurrency: number, warmUpSeconds: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let ok = 0;
  let failures = 0;
  const run = async (until: number, count: boolean) => {
    const worker = async () => {
      while (performance.now() < until) {
        const status = await tokenRequest(info, agent);
        if (!count) continue;
        if (status === 200) ok++;
        else failures++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };
  await run(performance.now() + warmUpSeconds * 1000, false); // warm-up: JIT, connections, caches
  const start = performance.now();
  await run(start + seconds * 1000, true);
  const perSecond = ok / ((performance.now() - start) / 1000);
  agent.destroy();
  return { perSecond, failures };
}

export async function tokenBench(rounds = 10, seconds = 1, concurrency = 16): Promise<TokenBench> {
  const embedded = await startServer('bench/token-server.ts');
  const { keyFile } = embedded.info;
  if (!keyFile) throw new Error('the benchmark server did not name its key file');
  const keys = JSON.parse(readFileSync(keyFile, 'utf8')) as ServerKeys;
  const signing = keys.signing[0];
  if (!signing) throw new Error('the benchmark server has no signing key');
  const key = createPrivateKey({ key: signing, format: 'jwk' });
  const bare = await startServer('bench/token-bare-server.ts', [keyFile]);
  try {
    // This machine's signing rate drifts from minute to minute (a shared VM): each round takes its own reference
    // and both servers' rates in turn, which goes first alternating from round to round so that a drift hits both
    // alike, and the ratios are the rounds' medians. The first round warms each server up for longer (JIT, caches).
    const raw: number[] = [];
    const embeddedRates: number[] = [];
    const bareRates: number[] = [];
    let failures = 0;
    for (let round = 0; round < rounds; round++) {
      raw.push(rawRs256Rate(key, 0.5));
      const warmUp = round === 0 ? 1 : 0.25;
      const measured = new Map<ServerInfo, { perSecond: number; failures: number }>();
      for (const { info } of round % 2 === 0 ? [embedded, bare] : [bare, embedded])
        measured.set(info, await throughput(info, seconds, concurrency, warmUp));
      const ours = measured.get(embedded.info);
      const theirs = measured.get(bare.info);
      if (!ours || !theirs) throw new Error('a server was not measured');
      embeddedRates.push(ours.perSecond);
      bareRates.push(theirs.perSecond);
      failures += ours.failures + theirs.failures;
    }
    return {
      rawSignPerSecond: median(raw),
      tokensPerSecond: median(embeddedRates),
      bareTokensPerSecond: median(bareRates),
      ratio: median(embeddedRates.map((rate, i) => rate / (raw[i] ?? NaN))),
      bareRatio: median(embeddedRates.map((rate, i) => rate / (bareRates[i] ?? NaN))),
      failures,
    };
  } finally {
    await stop(bare.child);
    await stop(embedded.child);
  }
}

/**
 * `oauth-desk server` (the built CLI) on a data folder that exists, from spawn to the first token it answers, as a
 * median of `runs`. The first start creates the data and a confidential application to ask for tokens with.
 */
export async function coldStartBench(runs = 5): Promise<{ coldStartMs: number; nodeMs: number }> {
  const home = mkdtempSync(join(tmpdir(), 'oauth-desk-bench-cold-'));
  const env = {
    ...process.env,
    OAUTH_DESK_HOME: home,
    OAUTH_DESK_PORT: '0',
    OAUTH_DESK_KEYCHAIN_SERVICE: `oauth-desk-bench-cold-${process.pid}`,
  };
  const cli = join(ROOT, 'out/cli/index.js');
  const serve = async (): Promise<{ child: ChildProcess; baseUrl: string }> => {
    const child = spawn(process.execPath, [cli, 'server'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const baseUrl = await new Promise<string>((resolved, failed) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        const listening = /listening on (\S+)/.exec(line);
        if (listening?.[1]) resolved(listening[1]);
      });
      child.once('exit', (code) => failed(new Error(`oauth-desk server exited with ${code}`)));
    });
    return { child, baseUrl };
  };
  const run = (args: string[]) =>
    new Promise<string>((resolved, failed) => {
      const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('exit', (code) => (code === 0 ? resolved(out) : failed(new Error(`${args.join(' ')}: ${code}`))));
    });
  try {
    const first = await serve();
    const created = JSON.parse(
      await run(['apps', 'create', 'Cold start', '--app-scope', 'OR.Jobs', '--show-secret', '--json']),
    ) as { app: { id: string }; secret: { value: string } };
    await stop(first.child);

    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const { child, baseUrl } = await serve();
      const info = {
        tokenUrl: `${baseUrl}/identity_/connect/token`,
        clientId: created.app.id,
        secret: created.secret.value,
        scope: 'OR.Jobs',
      };
      const status = await tokenRequest(info);
      times.push(performance.now() - start);
      await stop(child);
      if (status !== 200) throw new Error(`cold start: the first token request answered ${status}`);
    }
    const nodeTimes: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await new Promise((exited) => spawn(process.execPath, ['-e', '0']).once('exit', exited));
      nodeTimes.push(performance.now() - start);
    }
    return { coldStartMs: median(times), nodeMs: median(nodeTimes) };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
