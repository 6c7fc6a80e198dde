// Every contract operation at the one dispatch, with generated hostile input (fast-check), on a real context: real
// SQLite, the real keychain, the embedded Identity Server over HTTP. Every answer is a valid result or a typed error
// whose issues name a field; after a refusal, neither the workspace nor the server's database has changed.
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identityServerDataDir } from '../../src/main/context';
import { workspacePath } from '../../src/main/workspace/database';
import { contract, operationNames } from '../../src/shared/contract';
import { AppError, type Result } from '../../src/shared/errors';
import { dumpDatabase } from '../unit/fuzz-dump';
import { hostileInputFor, jsonText } from '../unit/fuzz-hostile';
import { memoryClipboard, useDesk } from './support';

/** Cases per operation: over the ~50 operations, several thousand in all, each cheap. */
const RUNS_PER_OPERATION = 40;
export const DISPATCH_CASES = RUNS_PER_OPERATION * operationNames.length;

const desk = useDesk({
  rateLimits: { get: 1_000_000, post: 1_000_000, put: 1_000_000, patch: 1_000_000, delete: 1_000_000 },
  // Stand-ins for what cannot exist here: Electron's clipboard, the native save dialog (cancelled) and the system
  // browser (refused).
  clipboard: memoryClipboard(),
  chooseSavePath: () => Promise.resolve(null),
  openBrowser: {
    open: () => Promise.reject(new AppError('invalid_input', 'There is no browser in the fuzz test.')),
  },
});

/**
 * Changes by itself while the app works: the admin secret's last use (each token the app gets, also in the cached
 * copy of the admin application), oidc-provider's token records, and when the cache last read the organisation.
 */
const IDENTITY_NOISE = { client_secret: ['last_used_time'], oidc_model: ['*'] };
const WORKSPACE_NOISE = {
  catalogue_cache: ['fetched_at'],
  registrations: ['fetched_at'],
  organisations: ['registrations_fetched_at', 'last_sync_at'],
};
const LAST_USED = [/\\"lastUsedTime\\":(null|\\"[^\\]*\\")/g];

function dumps() {
  return {
    workspace: dumpDatabase(workspacePath(desk.home), WORKSPACE_NOISE, LAST_USED),
    identity: dumpDatabase(join(identityServerDataDir(desk.home), 'identity.db'), IDENTITY_NOISE),
  };
}

/** A refusal as the doors show it: a known code and a message, and for bad input, issues that each name a field. */
function expectTyped(result: Result<unknown>, operation: string, input: unknown): void {
  if (result.ok) return;
  const { error } = result;
  const context = `${operation} ${describeInput(input)}: ${JSON.stringify(error).slice(0, 300)}`;
  expect(error.code, context).not.toBe('internal');
  expect(error.message, context).toMatch(/\S/);
  if (error.code === 'invalid_input') {
    expect(error.issues ?? [], context).not.toEqual([]);
    for (const issue of error.issues ?? []) {
      expect(issue.field, context).toMatch(/\S/);
      expect(issue.message, context).toMatch(/\S/);
    }
  }
}

function describeInput(input: unknown): string {
  try {
    return jsonText(input).slice(0, 200);
  } catch {
    return typeof input;
  }
}

describe('fuzzing every operation at the dispatch', { timeout: 300_000 }, () => {
  it(`answers ${DISPATCH_CASES} hostile inputs with a result or a typed error, changing nothing when it refuses`, async () => {
    const created = await desk.call('createApp', {
      name: 'Fuzz target',
      isConfidential: true,
      scopes: [{ name: 'OR.Jobs', type: 'application' }],
    });
    const exportDir = desk.tempDir();
    const plausible: Record<string, readonly unknown[]> = {
      organisation: ['local'],
      to: ['local'],
      clientId: [created.app.id],
      clientIds: [[created.app.id]],
      secretId: [created.secret!.id],
      name: ['Fuzzed app', 'Fuzzed app\n# injected'],
      isConfidential: [true, false],
      redirectUri: [null, 'http://127.0.0.1:7999/callback'],
      scopes: [[{ name: 'OR.Jobs', type: 'application' }], [{ name: 'OR.Folders.Read', type: 'user' }], []],
      type: ['user', 'application'],
      refresh: [true, false],
      limit: [1, 50],
      withinDays: [30],
      description: ['rotation', null],
      expiryTime: [new Date(Date.now() + 86_400_000).toISOString(), '2001-01-01T00:00:00Z'],
      mode: ['overlap', 'replace', 'add', 'remove'],
      format: ['env', 'md', 'json'],
      includeSecret: [false, true],
      // Only ever a file in this test's own folder: the fuzzer must not be able to write anywhere else.
      path: [join(exportDir, 'export.env'), join(exportDir, 'nested', 'export.md')],
      userName: ['fuzz-user'],
      displayName: ['Fuzz User'],
      password: ['a long enough password'],
      baseUrl: ['http://127.0.0.1:9/', 'https://cloud.uipath.com'],
      orgName: ['acme'],
      signIn: [
        { method: 'adminApp', clientId: 'x', clientSecret: 'y' },
        { method: 'account', clientId: 'x' },
      ],
      dryRun: [true],
    };
    const before = new Map<string, number>();
    for (const operation of operationNames) {
      // A destructive operation gets no real ID: deleting the target would leave the rest nothing to reach.
      const destructive = /^(delete|remove)/.test(operation);
      const values = destructive ? { ...plausible, clientId: [], secretId: [], organisation: [] } : plausible;
      // `path` is never generated freely: a hostile path on a real file system is not a test anyone wants to run.
      const input = hostileInputFor(contract[operation].input, values).filter(
        (value) => !hasFreePath(value, plausible.path ?? []),
      );
      await fc.assert(
        fc.asyncProperty(input, async (raw) => {
          const was = dumps();
          const result = await desk.context.dispatch(operation, raw);
          expectTyped(result, operation, raw);
          if (!result.ok) expectUnchanged(was, dumps(), `${operation} ${describeInput(raw)}`);
          before.set(operation, (before.get(operation) ?? 0) + 1);
        }),
        // What the fuzzer found once, tried on every run: an empty key (its message named no field) and a lone
        // surrogate (encodeURIComponent threw inside the client: an internal error).
        { numRuns: RUNS_PER_OPERATION, examples: [[{ '': '' }], [{ clientId: '\ud800', organisation: 'local' }]] },
      );
    }
    expect([...before.keys()].sort()).toEqual([...operationNames].sort());
    expect([...before.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(DISPATCH_CASES);
  });
});

/** The tables a refusal changed, named in the failure, so a finding says where to look. */
function expectUnchanged(was: Record<string, string>, now: Record<string, string>, what: string): void {
  const changed = Object.keys(was).flatMap((db) => {
    const a = JSON.parse(was[db] ?? '{}') as Record<string, unknown>;
    const b = JSON.parse(now[db] ?? '{}') as Record<string, unknown>;
    return Object.keys({ ...a, ...b })
      .filter((table) => JSON.stringify(a[table]) !== JSON.stringify(b[table]))
      .map((table) => `${db}.${table}: ${firstDifference(JSON.stringify(a[table]), JSON.stringify(b[table]))}`);
  });
  expect(changed, `${what} was refused but changed a database`).toEqual([]);
}

function firstDifference(a = '', b = ''): string {
  let at = 0;
  while (at < a.length && a[at] === b[at]) at++;
  return `${a.slice(Math.max(0, at - 80), at + 120)} -> ${b.slice(Math.max(0, at - 80), at + 120)}`;
}

/** True when the input carries a `path` that is not one of the allowed files. */
function hasFreePath(value: unknown, allowed: readonly unknown[]): boolean {
  if (!value || typeof value !== 'object' || !Object.hasOwn(value, 'path')) return false;
  const path = (value as { path?: unknown }).path;
  return typeof path === 'string' && !allowed.includes(path);
}
