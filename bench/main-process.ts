// Main's own process for the memory figure, run twice by bench/memory.ts on one data folder and keychain service:
// `seed` starts the app once and writes `count` applications into the embedded Identity Server's store; `measure` is
// the desktop app's session, measured: the app context (workspace, keychain, the embedded Identity Server in process)
// started, the organisation synced into the cache, and the list read as the window reads it (a screenful, then pages
// of 2 000, each answer serialised as IPC would). It prints one JSON line. Seeding in a process of its own keeps what
// the benchmark writes out of the figure: the app never holds that.
import { openAppContext } from '../src/main/context';
import type { OperationName, OutputOf, RawInputOf } from '../src/shared/contract';
import { AppError } from '../src/shared/errors';
import { seed } from './seed';

const [mode, home, keychainService, countArg] = process.argv.slice(2);
if ((mode !== 'seed' && mode !== 'measure') || !home || !keychainService)
  throw new Error('usage: main-process.js seed|measure <home> <keychain service> [count]');
const count = Number(countArg ?? 10_000);
const context = await openAppContext({ home, port: 0, keychainService });
try {
  const call = async <K extends OperationName>(op: K, input: RawInputOf<K>): Promise<OutputOf<K>> => {
    const result = await context.dispatch(op, input);
    if (!result.ok) throw AppError.from(result.error);
    return result.value as OutputOf<K>;
  };
  if (mode === 'seed') {
    const { partitionGlobalId } = await call('showOrganisation', {});
    seed(home, partitionGlobalId, 0, count);
  } else {
    await call('syncOrganisation', {});
    // As the window's store reads it (src/renderer/src/stores/applications.ts).
    let limit = 60;
    let last: { name: string; id: string } | undefined;
    for (;;) {
      const page = await call('listApps', { limit, after: last });
      JSON.stringify(page);
      const end = page.at(-1);
      if (page.length < limit || !end) break;
      last = { name: end.name, id: end.id };
      limit = 2_000;
    }
    // What stays: a collection first, as some time passing would do.
    (globalThis as { gc?: () => void }).gc?.();
    process.stdout.write(`${JSON.stringify({ rssMb: process.memoryUsage().rss / 1024 / 1024 })}\n`);
  }
} finally {
  await context.close();
}
