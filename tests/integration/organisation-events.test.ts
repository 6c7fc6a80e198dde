// Main speaks first about organisations: a sync's progress and its end as organisationStatus events, the data it
// stored as organisationDataChanged, and the connectivity policy (an offline organisation asked again, and synced by
// main by itself once it answers), against a second embedded Identity Server ("acme") stopped and started again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import { ClientStore } from '../../src/identity-server/store/clients';
import { openIdentityDatabase } from '../../src/identity-server/store/database';
import type { EventName, EventOf } from '../../src/shared/contract';
import { addServerAsOrganisation, useDesk } from './support';

/** Short, so the test sees main ask again without waiting 15 s. */
const RETRY_MS = 300;
const desk = useDesk({ rateLimits: { get: 10_000 }, offlineRetryMs: RETRY_MS });
const { call } = desk;
const acmeDataDir = desk.tempDir();

let acme: RunningIdentityServer | undefined;

async function startAcme(): Promise<RunningIdentityServer> {
  const port = acme ? Number(new URL(acme.baseUrl).port) : 0;
  acme = await startIdentityServer({
    dataDir: acmeDataDir,
    port,
    orgName: 'acme',
    rateLimits: { get: 10_000, put: 10_000, delete: 10_000 },
  });
  return acme;
}

function running(): RunningIdentityServer {
  if (!acme) throw new Error('acme is not running');
  return acme;
}

type Heard = { [E in EventName]: { name: E; payload: EventOf<E> } }[EventName];

/** Every event main raises from now on, until `stop`. */
function listen(): { heard: Heard[]; stop: () => void } {
  const heard: Heard[] = [];
  const stop = desk.context.events.subscribe((name, payload) => {
    heard.push({ name, payload } as Heard);
  });
  return { heard, stop };
}

const statusesOf = (heard: Heard[], organisation: string) =>
  heard.flatMap((e) =>
    e.name === 'organisationStatus' && e.payload.organisation === organisation ? [e.payload.status] : [],
  );

const changesOf = (heard: Heard[], organisation: string) =>
  heard.flatMap((e) =>
    e.name === 'organisationDataChanged' && e.payload.organisation === organisation ? [e.payload.what] : [],
  );

async function until(what: string, done: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  await addServerAsOrganisation(call, await startAcme());
});

afterAll(async () => {
  await acme?.close();
});

describe('a sync, as main tells it', { timeout: 60_000 }, () => {
  it('pushes its progress and its end as status, and what it stored as data changed', async () => {
    // 30 applications written straight into acme's store: the list arrives in more than one batch.
    const acmeDb = openIdentityDatabase(acmeDataDir);
    try {
      const store = new ClientStore(acmeDb);
      const draft = { isConfidential: false, redirectUri: 'https://pushed.example.com/cb', scopes: [] };
      for (let i = 0; i < 30; i++) store.create(running().partitionGlobalId, { ...draft, name: `Pushed ${i}` }, null);
    } finally {
      acmeDb.close();
    }
    const { heard, stop } = listen();
    const synced = await call('syncOrganisation', { organisation: 'acme' });
    stop();

    const statuses = statusesOf(heard, 'acme');
    expect(statuses[0]?.sync).toEqual({ done: 0, total: null });
    const progress = statuses.flatMap((s) => (s.sync ? [s.sync.done] : []));
    // At least one batch between the start and the whole list, never going back.
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(statuses.at(-2)?.sync).toEqual({ done: synced.synced, total: synced.synced });
    expect(statuses.at(-1)).toEqual({
      online: true,
      lastError: null,
      lastSyncAt: synced.at,
      sync: null,
      rateLimitedUntil: null,
    });
    // Nothing is pushed twice in a row: a report that changes nothing is not a change.
    const texts = statuses.map((s) => JSON.stringify(s));
    expect(texts.filter((t, i) => t === texts[i - 1])).toEqual([]);
    expect(changesOf(heard, 'acme')).toEqual(['catalogue', 'applications']);
  });
});

describe('an organisation that goes offline', { timeout: 60_000 }, () => {
  it('is asked again by main, and synced by main by itself once it answers', async () => {
    const syncsBefore = (await call('listActivity', {})).filter((a) => a.action === 'organisation.sync').length;
    const { heard, stop } = listen();
    await running().close();

    // Any request that meets the silence: the list answers from the cache, and the status says offline.
    await call('listApps', { organisation: 'acme', refresh: true });
    await until('acme offline', () => statusesOf(heard, 'acme').some((s) => s.online === false));
    expect(statusesOf(heard, 'acme').at(-1)).toMatchObject({
      online: false,
      lastError: expect.stringMatching(/connection refused/) as unknown,
    });
    // Asked again meanwhile (several retries), still offline: nothing changes, so nothing more is pushed.
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS * 4));
    expect(statusesOf(heard, 'acme').filter((s) => s.online !== false)).toEqual([]);
    expect(changesOf(heard, 'acme')).toEqual([]);

    // Back on the same port: no call of ours asks it, main does, then syncs it.
    await startAcme();
    await until('acme synced by main', () => changesOf(heard, 'acme').includes('applications'));
    stop();
    const statuses = statusesOf(heard, 'acme');
    const back = statuses.findIndex((s) => s.online === true);
    expect(back).toBeGreaterThan(0);
    expect(statuses.slice(back).some((s) => s.sync !== null)).toBe(true);
    expect(changesOf(heard, 'acme')).toEqual(['catalogue', 'applications']);
    const syncsAfter = (await call('listActivity', {})).filter((a) => a.action === 'organisation.sync').length;
    expect(syncsAfter).toBe(syncsBefore + 1);
    expect(await call('organisationStatus', { organisation: 'acme' })).toMatchObject({ online: true, sync: null });
  });
});
