// The expiring-secrets decisions: which secrets count, in what order, and the one notification they deserve.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  bySoonest,
  expiringSecretsOf,
  expiryNotice,
  watchExpiringSecrets,
  type ExpiryService,
} from '../../src/main/services/expiry';
import type { Notifier } from '../../src/main/ports';
import type { ExpiringSecret, ExternalClient } from '../../src/shared/model';

const now = new Date('2030-06-01T12:00:00Z');
const DAY = 24 * 3600 * 1000;
const inDays = (days: number) => new Date(now.getTime() + days * DAY).toISOString();

function app(id: string, expiries: (string | null)[]): ExternalClient {
  return {
    id,
    name: `App ${id}`,
    isConfidential: true,
    redirectUri: null,
    resources: [],
    secrets: expiries.map((expiryTime, i) => ({
      id: `${id.charCodeAt(0)}${i}`,
      description: null,
      creationTime: '2030-01-01T00:00:00Z',
      expiryTime,
    })),
  };
}

function expiring(count: number, expired: number): ExpiringSecret[] {
  return [...Array(count + expired).keys()].map((i) => ({
    organisation: 'local',
    tenantName: 'Local',
    clientId: `c${i}`,
    appName: `App ${i}`,
    secretId: `s${i}`,
    description: null,
    expiryTime: inDays(i < count ? 5 : -5),
    expired: i >= count,
  }));
}

/** What a Notifier was asked to show: OS notifications cannot exist here, so the tests record them instead. */
function recordingNotifier(): Notifier & { shown: { title: string; body: string }[] } {
  const shown: { title: string; body: string }[] = [];
  return { shown, notify: (title, body) => shown.push({ title, body }) };
}

describe('expiringSecretsOf', () => {
  it('keeps the secrets that expire within the days given or have expired, and marks the expired', () => {
    const found = expiringSecretsOf(
      { id: 'acme', name: 'Acme' },
      [app('a', [inDays(10), inDays(31), null]), app('b', [inDays(-1)]), app('c', [])],
      30,
      now,
    );
    expect(found).toEqual([
      {
        organisation: 'acme',
        tenantName: 'Acme',
        clientId: 'a',
        appName: 'App a',
        secretId: '970',
        description: null,
        expiryTime: inDays(10),
        expired: false,
      },
      {
        organisation: 'acme',
        tenantName: 'Acme',
        clientId: 'b',
        appName: 'App b',
        secretId: '980',
        description: null,
        expiryTime: inDays(-1),
        expired: true,
      },
    ]);
  });

  it('counts a secret expiring exactly at the horizon, and one expiring exactly now as expired', () => {
    const found = expiringSecretsOf({ id: 't', name: 'T' }, [app('a', [inDays(7), now.toISOString()])], 7, now);
    expect(found.map((s) => [s.secretId, s.expired])).toEqual([
      ['970', false],
      ['971', true],
    ]);
  });
});

describe('bySoonest', () => {
  it('orders soonest first, expired ones before those still valid', () => {
    const [soon, late, gone] = [
      { ...expiring(1, 0)[0]!, secretId: '1', expiryTime: inDays(2) },
      { ...expiring(1, 0)[0]!, secretId: '2', expiryTime: inDays(20) },
      { ...expiring(0, 1)[0]!, secretId: '3', expiryTime: inDays(-3) },
    ];
    expect([late, soon, gone].sort(bySoonest).map((s) => s.secretId)).toEqual(['3', '1', '2']);
  });
});

describe('expiryNotice', () => {
  it('raises nothing when no secret expires soon', () => {
    expect(expiryNotice([])).toBeNull();
  });

  it('sums up expiring and expired secrets in one sentence', () => {
    expect(expiryNotice(expiring(3, 1))?.body).toBe('3 secrets expire within 30 days, 1 has expired');
    expect(expiryNotice(expiring(1, 2))?.body).toBe('1 secret expires within 30 days, 2 have expired');
  });

  it('says only what there is', () => {
    expect(expiryNotice(expiring(2, 0))?.body).toBe('2 secrets expire within 30 days');
    expect(expiryNotice(expiring(1, 0))?.body).toBe('1 secret expires within 30 days');
    expect(expiryNotice(expiring(0, 1))?.body).toBe('1 secret has expired');
    expect(expiryNotice(expiring(0, 4))?.body).toBe('4 secrets have expired');
  });

  it('names the window it looked in, and has a title', () => {
    expect(expiryNotice(expiring(1, 0), 7)).toEqual({
      title: 'App secrets to renew',
      body: '1 secret expires within 7 days',
    });
    expect(expiryNotice(expiring(2, 0), 1)?.body).toBe('2 secrets expire within 1 day');
  });
});

describe('watchExpiringSecrets', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('checks at once, then every period until stopped', () => {
    vi.useFakeTimers();
    const notifier = recordingNotifier();
    let checks = 0;
    const expiry = {
      list: () => [],
      check: (n: Notifier) => {
        checks++;
        n.notify('App secrets to renew', `check ${checks}`);
        return null;
      },
    } satisfies ExpiryService;
    const watch = watchExpiringSecrets(expiry, notifier, DAY);
    expect(checks).toBe(1);
    vi.advanceTimersByTime(DAY);
    expect(checks).toBe(2);
    watch.stop();
    vi.advanceTimersByTime(3 * DAY);
    expect(notifier.shown.map((n) => n.body)).toEqual(['check 1', 'check 2']);
  });
});
