// Stoplight Prism as a real process, mocking the Identity Server from the contract
// (schemas/uipath-external-applications.openapi.yaml): static mode answers each operation's first example, dynamic mode
// makes answers up from the schemas (the same answer to the same request for a given seed). With --errors, Prism
// answers a request the description does not allow with a 4xx and logs each violation; violations() collects those.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, parseDocument } from 'yaml';
import { CONTRACT_PATH } from './openapiContract';

const PRISM_BIN = fileURLToPath(new URL('../../node_modules/.bin/prism', import.meta.url));
const STARTUP_MS = 30_000;

export interface PrismOptions {
  /** static: the first example of each answer; dynamic: answers generated from the schemas. */
  mode: 'static' | 'dynamic';
  /** Dynamic mode only: makes the generated answers repeatable. */
  seed?: string;
  /** The description to mock; the contract by default. */
  document?: string;
  /** The port to listen on; a free one by default. */
  port?: number;
}

export interface PrismMock {
  /** e.g. http://127.0.0.1:43817, without a trailing slash. */
  baseUrl: string;
  port: number;
  /** Ends the process and waits for it to exit. */
  stop(): Promise<void>;
  /** Everything Prism printed so far. */
  log(): string;
  /**
   * Prism's log lines that report a request the description does not allow, e.g.
   * `[VALIDATOR] ✖  error     Violation: request.body Request body must have required property 'name'`, and those of a
   * request it could not route (`Request terminated with error: …NO_PATH_MATCHED_ERROR…`, `…NO_METHOD_MATCHED_ERROR…`).
   */
  violations(): string[];
  /**
   * Resolves once Prism has printed nothing for `quietMs`. A validation violation is logged before its answer is sent,
   * but an unrouted request's error may be logged after: settle before concluding that nothing was reported.
   */
  settle(quietMs?: number): Promise<void>;
}

/** A port free on the loopback now: listen on 0, read the port, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

// Prism colours its log when it thinks it writes to a terminal; the lines are compared without colour.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
/** `[12:44:52 AM] ›     [VALIDATOR] ✖  error     Violation: …` → the part from `[VALIDATOR]` on. */
const VIOLATION = /\[VALIDATOR\]\s+\S+\s+error\s+Violation: .*/;
const UNROUTED = /\[HTTP SERVER\] .*Request terminated with error: .*/;

/** Starts `prism mock` on the loopback and resolves once it says it is listening. */
export async function startPrism(options: PrismOptions): Promise<PrismMock> {
  const port = options.port ?? (await freePort());
  const args = ['mock', '-h', '127.0.0.1', '-p', String(port), '--errors'];
  if (options.mode === 'dynamic') args.push('-d', ...(options.seed === undefined ? [] : ['--seed', options.seed]));
  args.push(options.document ?? CONTRACT_PATH);
  const child = spawn(process.execPath, [PRISM_BIN, ...args], {
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let lastOutputAt = Date.now();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Prism did not start listening within ${STARTUP_MS} ms:\n${output}`));
    }, STARTUP_MS);
    const take = (chunk: Buffer) => {
      output += chunk.toString('utf8').replace(ANSI, '');
      lastOutputAt = Date.now();
      if (output.includes('Prism is listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited (${signal ?? String(code)}) before listening:\n${output}`));
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
    log: () => output,
    violations: () =>
      output
        .split('\n')
        .map((line) => VIOLATION.exec(line)?.[0] ?? UNROUTED.exec(line)?.[0])
        .filter((line): line is string => line !== undefined),
    async settle(quietMs = 150) {
      for (;;) {
        const quietFor = Date.now() - lastOutputAt;
        if (quietFor >= quietMs) return;
        await new Promise((resolve) => setTimeout(resolve, quietMs - quietFor));
      }
    },
  };
}

/**
 * A copy of the contract, in a temp folder, for a mock listening on `port`: the discovery document's example names the
 * mock's own URLs (issuer, authorization, token and JWKS endpoints under http://127.0.0.1:PORT/identity_) in place of
 * cloud.uipath.com's. This is the one adaptation of the description for mocking: a static example cannot know the
 * port the mock will listen on, and a client follows the token_endpoint discovery gives it. Everything else, the token
 * example's `iss` claim included, stays as written. Answers the copy's path.
 */
export function documentForMock(port: number, document = CONTRACT_PATH): string {
  const doc = parseDocument(readFileSync(document, 'utf8'));
  const issuer = `http://127.0.0.1:${port}/identity_`;
  const example = [
    'paths',
    '/identity_/.well-known/openid-configuration',
    'get',
    'responses',
    '200',
    'content',
    'application/json',
    'examples',
  ];
  const examples = doc.getIn(example, true);
  const first = isMap(examples) ? examples.items[0]?.key : undefined;
  if (!isScalar(first)) throw new Error(`${document} has no example of the discovery document.`);
  const value = [...example, first.value, 'value'];
  doc.setIn([...value, 'issuer'], issuer);
  doc.setIn([...value, 'authorization_endpoint'], `${issuer}/connect/authorize`);
  doc.setIn([...value, 'token_endpoint'], `${issuer}/connect/token`);
  doc.setIn([...value, 'jwks_uri'], `${issuer}/.well-known/openid-configuration/jwks`);
  const path = join(mkdtempSync(join(tmpdir(), 'oauth-desk-prism-')), 'identity-server.openapi.yaml');
  writeFileSync(path, doc.toString());
  return path;
}
