// A scope set on 1 000 applications of the embedded organisation, its rate limits lifted: the preview (from the cache) and
// the apply (each application re-read, then written, with progress), through the same dispatch as the window.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { ClientStore } from '../src/identity-server/store/clients';
import { openIdentityDatabase } from '../src/identity-server/store/database';
import { identityServerDataDir, openAppContext } from '../src/main/context';
import { callerOf } from '../src/shared/api';
import { median } from './stats';

export interface ScopeSetsBench {
  apps: number;
  previewMs: number;
  applyMs: number;
  /** How many progress answers the run gave while it ran (applyStatus polled every 100 ms). */
  progressEvents: number;
  applied: number;
}

/** Confidential applications written straight into the server's store: creating them through its API is not measured. */
function seed(home: string, partitionGlobalId: string, total: number): void {
  const db = openIdentityDatabase(identityServerDataDir(home));
  try {
    const clients = new ClientStore(db);
    db.transaction(() => {
      for (let i = 0; i < total; i++)
        clients.create(
          partitionGlobalId,
          {
            name: `Worker ${String(i).padStart(4, '0')}`,
            isConfidential: true,
            redirectUri: null,
            scopes: [{ name: 'OR.Folders.Read', type: 'application' }],
          },
          null,
        );
    })();
  } finally {
    db.close();
  }
}

export async function scopeSetsBench(apps = 1_000, rounds = 5): Promise<ScopeSetsBench> {
  const home = mkdtempSync(join(tmpdir(), 'oauth-desk-bench-sets-'));
  const keychainService = `oauth-desk-bench-sets-${process.pid}`;
  const lifted = { get: 1_000_000, post: 1_000_000, put: 1_000_000 };
  const context = await openAppContext({ home, port: 0, keychainService, rateLimits: lifted });
  const call = callerOf(context.dispatch);
  try {
    const { partitionGlobalId } = await call('showOrganisation', {});
    seed(home, partitionGlobalId, apps);
    await call('syncOrganisation', {});
    await call('saveScopeSet', {
      name: 'Queue worker',
      scopes: [
        { name: 'OR.Queues', type: 'application' },
        { name: 'OR.Jobs.Read', type: 'application' },
      ],
    });
    const previews: number[] = [];
    let previewId = '';
    for (let i = 0; i < rounds; i++) {
      const start = performance.now();
      const preview = await call('previewScopeSet', { setId: 'Queue worker', all: true });
      previews.push(performance.now() - start);
      if (preview.totals.change !== apps) throw new Error(`the preview changes ${preview.totals.change} of ${apps}`);
      previewId = preview.previewId;
    }
    const start = performance.now();
    let status = await call('applyScopeSet', { previewId });
    let progressEvents = 0;
    while (status.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await call('applyStatus', { runId: status.runId });
      progressEvents++;
    }
    const applyMs = performance.now() - start;
    return {
      apps,
      previewMs: median(previews),
      applyMs,
      progressEvents,
      applied: status.results.filter((r) => r.outcome === 'applied').length,
    };
  } finally {
    await context.close();
    for (const { account } of await keytar.findCredentials(keychainService))
      await keytar.deletePassword(keychainService, account);
    rmSync(home, { recursive: true, force: true });
  }
}

export interface PacedApplyBench {
  apps: number;
  estimateSeconds: number;
  actualSeconds: number;
  /** |actual − estimate| / estimate. */
  error: number;
}

/**
 * An apply paced by the PUT limit (4 per 8 seconds, so two waits of a window) against the estimate its preview gave:
 * the estimate models UiPath's per-method windows, and this is how near it comes.
 */
export async function pacedApplyBench(apps = 12): Promise<PacedApplyBench> {
  const home = mkdtempSync(join(tmpdir(), 'oauth-desk-bench-paced-'));
  const keychainService = `oauth-desk-bench-paced-${process.pid}`;
  const rateLimits = { get: 1_000_000, post: 1_000_000, put: 4, windowSeconds: 8 };
  const context = await openAppContext({ home, port: 0, keychainService, rateLimits });
  const call = callerOf(context.dispatch);
  try {
    const { partitionGlobalId } = await call('showOrganisation', {});
    seed(home, partitionGlobalId, apps);
    await call('syncOrganisation', {});
    await call('saveScopeSet', { name: 'Queue worker', scopes: [{ name: 'OR.Queues', type: 'application' }] });
    const preview = await call('previewScopeSet', { setId: 'Queue worker', all: true, refresh: true });
    const start = performance.now();
    let status = await call('applyScopeSet', { previewId: preview.previewId });
    while (status.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = await call('applyStatus', { runId: status.runId });
    }
    const actualSeconds = (performance.now() - start) / 1000;
    const estimateSeconds = preview.estimate.seconds;
    return {
      apps,
      estimateSeconds,
      actualSeconds,
      error: Math.abs(actualSeconds - estimateSeconds) / estimateSeconds,
    };
  } finally {
    await context.close();
    for (const { account } of await keytar.findCredentials(keychainService))
      await keytar.deletePassword(keychainService, account);
    rmSync(home, { recursive: true, force: true });
  }
}
