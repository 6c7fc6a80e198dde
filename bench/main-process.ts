// Main's own process for the memory figure: the app context (workspace, keychain, the embedded Identity Server in
// process, as in the desktop app) with `count` applications synced into the cache and the list read as the window
// reads it (a screenful, then every row, each answer serialised as IPC would). Prints one JSON line and exits.
// Run by bench/memory.ts in a process of its own, so that nothing of the benchmark's own is counted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { openAppContext } from '../src/main/context';
import type { OperationName, OutputOf, RawInputOf } from '../src/shared/contract';
import { AppError } from '../src/shared/errors';
import { seed } from './seed';

const count = Number(process.argv[2] ?? 10_000);
const home = mkdtempSync(join(tmpdir(), 'oauth-desk-bench-main-'));
const keychainService = `oauth-desk-bench-main-${process.pid}`;
const context = await openAppContext({ home, port: 0, keychainService });
try {
  const call = async <K extends OperationName>(op: K, input: RawInputOf<K>): Promise<OutputOf<K>> => {
    const result = await context.dispatch(op, input);
    if (!result.ok) throw AppError.from(result.error);
    return result.value as OutputOf<K>;
  };
  const { partitionGlobalId } = await call('showTenant', {});
  seed(home, partitionGlobalId, 0, count);
  await call('syncTenant', {});
  JSON.stringify(await call('listApps', { limit: 60 }));
  JSON.stringify(await call('listApps', {}));
  // What stays: a collection first, as some time passing would do.
  (globalThis as { gc?: () => void }).gc?.();
  process.stdout.write(`${JSON.stringify({ rssMb: process.memoryUsage().rss / 1024 / 1024 })}\n`);
} finally {
  await context.close();
  for (const c of await keytar.findCredentials(keychainService))
    await keytar.deletePassword(keychainService, c.account);
  rmSync(home, { recursive: true, force: true });
}
