// The connectivity policy on a clock of the test's own: an offline organisation asked again every interval (and only
// while offline), synced once when it answers again, and nothing left running once stopped.
import { describe, expect, it } from 'vitest';
import { eventBus } from '../../src/main/events';
import { connectivityPolicy, type Timers } from '../../src/main/services/organisations/connectivity';
import type { OrganisationStatus } from '../../src/shared/model';

function fakeClock(): Timers & { pending: { run: () => void; ms: number }[]; fire(): void } {
  const pending: { run: () => void; ms: number }[] = [];
  return {
    pending,
    set(run, ms) {
      const timer = { run, ms };
      pending.push(timer);
      return timer;
    },
    clear(handle) {
      const at = pending.indexOf(handle as (typeof pending)[number]);
      if (at >= 0) pending.splice(at, 1);
    },
    fire() {
      for (const timer of pending.splice(0)) timer.run();
    },
  };
}

const status = (online: boolean | null): OrganisationStatus => ({
  online,
  lastError: online === false ? 'Cannot reach acme.' : null,
  lastSyncAt: null,
  sync: null,
  rateLimitedUntil: null,
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function harness() {
  const events = eventBus();
  const clock = fakeClock();
  const world = { offline: true, probes: 0, syncs: [] as string[], stops: [] as string[] };
  let finishSync: () => void = () => undefined;
  const policy = connectivityPolicy({
    events,
    retryMs: 15_000,
    timers: clock,
    organisations: {
      isKnown: (id) => id === 'acme',
      isOffline: () => world.offline,
      client: () =>
        ({
          discovery: () => {
            world.probes++;
            return world.offline ? Promise.reject(new Error('refused')) : Promise.resolve({});
          },
        }) as never,
    },
    sync: {
      sync: (id) => {
        world.syncs.push(id);
        return new Promise((resolve) => {
          finishSync = () => resolve({ synced: 1, at: '', stopped: false });
        });
      },
      stop: (id) => {
        world.stops.push(id);
        finishSync();
        return { stopped: true };
      },
    },
  });
  const report = (online: boolean | null) =>
    events.emit('organisationStatus', { organisation: 'acme', inWords: 'Acme', status: status(online) });
  return { clock, world, policy, report };
}

describe('the connectivity policy', () => {
  it('asks an offline organisation again every interval, until it answers', async () => {
    const { clock, world, report, policy } = harness();
    report(true);
    expect(clock.pending).toEqual([]);
    report(false);
    report(false);
    expect(clock.pending.map((t) => t.ms)).toEqual([15_000]);
    clock.fire();
    await settle();
    expect(world.probes).toBe(1);
    expect(clock.pending).toHaveLength(1);
    world.offline = false;
    clock.fire();
    await settle();
    expect(world.probes).toBe(2);
    expect(clock.pending).toEqual([]);
    await policy.stop();
  });

  it('syncs an organisation that answers again, once, and stops that sync when stopped', async () => {
    const { clock, world, report, policy } = harness();
    report(null);
    report(true);
    await settle();
    expect(world.syncs).toEqual([]);
    report(false);
    world.offline = false;
    report(true);
    report(true);
    await settle();
    expect(world.syncs).toEqual(['acme']);
    expect(clock.pending).toEqual([]);
    await policy.stop();
    expect(world.stops).toEqual(['acme']);
    report(false);
    expect(clock.pending).toEqual([]);
  });
});
