// The edit preview and the secret timeline an admin reads before confirming a change.
import { describe, expect, it } from 'vitest';
import { describeChanges, diffApp, hasChanges } from '../../src/shared/changes';
import type { ExternalClient } from '../../src/shared/model';
import { checkUser } from '../../src/shared/rules';
import { nextExpiry, secretStatus, secretsLeftBehind } from '../../src/shared/secrets';

const app: ExternalClient = {
  id: 'a1',
  name: 'Nightly jobs',
  isConfidential: true,
  redirectUri: null,
  resources: [
    {
      name: 'OrchestratorApiUserAccess',
      displayName: 'Orchestrator API Access',
      description: '',
      scopes: [
        { name: 'OR.Jobs', displayName: 'OR.Jobs', description: '', type: 'application' },
        { name: 'OR.Jobs', displayName: 'OR.Jobs', description: '', type: 'user' },
        { name: 'OR.Queues', displayName: 'OR.Queues', description: '', type: 'application' },
      ],
    },
  ],
  secrets: [],
};

describe('the edit preview', () => {
  it('names scopes added and removed per type, and the name and redirect URL changes', () => {
    const changes = diffApp(app, {
      name: 'Nightly jobs v2',
      redirectUri: 'https://app.example.com/cb',
      scopes: [
        { name: 'OR.Jobs', type: 'application' },
        { name: 'OR.Assets', type: 'application' },
        { name: 'OR.Queues', type: 'user' },
      ],
    });
    expect(changes).toEqual({
      name: { from: 'Nightly jobs', to: 'Nightly jobs v2' },
      redirectUri: { from: null, to: 'https://app.example.com/cb' },
      added: { user: ['OR.Queues'], application: ['OR.Assets'] },
      removed: { user: ['OR.Jobs'], application: ['OR.Queues'] },
    });
    expect(describeChanges(changes)).toEqual([
      'Name: "Nightly jobs" → "Nightly jobs v2"',
      'Redirect URL: (none) → https://app.example.com/cb',
      'Add user scopes: OR.Queues',
      'Add application scopes: OR.Assets',
      'Remove user scopes: OR.Jobs',
      'Remove application scopes: OR.Queues',
    ]);
  });

  it('says when nothing changes, and keeps fields left out', () => {
    const same = diffApp(app, { name: ' Nightly jobs ' });
    expect(hasChanges(same)).toBe(false);
    expect(describeChanges(same)).toEqual(['No changes.']);
  });
});

describe('secrets over time', () => {
  const now = new Date('2026-06-01T00:00:00Z');

  it('marks expired and close-to-expiry secrets', () => {
    expect(secretStatus(null, now)).toBe('active');
    expect(secretStatus('2026-05-31T23:59:59Z', now)).toBe('expired');
    expect(secretStatus('2026-06-20T00:00:00Z', now)).toBe('expiring');
    expect(secretStatus('2026-09-01T00:00:00Z', now)).toBe('active');
    expect(
      nextExpiry([
        { expiryTime: null },
        { expiryTime: '2027-01-01T00:00:00Z' },
        { expiryTime: '2026-07-01T00:00:00Z' },
      ]),
    ).toBe('2026-07-01T00:00:00Z');
    expect(nextExpiry([{ expiryTime: null }])).toBeNull();
  });

  it('tells which old secrets an integration has left after a rotation with overlap', () => {
    const old = {
      id: 'old',
      description: null,
      creationTime: '2026-01-01T00:00:00Z',
      expiryTime: null,
      lastUsedTime: '2026-05-01T00:00:00Z',
    };
    const fresh = {
      id: 'new',
      description: null,
      creationTime: '2026-05-10T00:00:00Z',
      expiryTime: null,
      lastUsedTime: null,
    };
    expect(secretsLeftBehind([old, fresh])).toEqual([]); // the new one was never used: not switched yet
    expect(secretsLeftBehind([old, { ...fresh, lastUsedTime: '2026-05-11T00:00:00Z' }])).toEqual(['old']);
    expect(
      secretsLeftBehind([
        { ...old, lastUsedTime: '2026-05-12T00:00:00Z' },
        { ...fresh, lastUsedTime: '2026-05-11T00:00:00Z' },
      ]),
    ).toEqual([]);
  });
});

describe('local users', () => {
  it('need a typeable user name and a password of at least 8 characters', () => {
    expect(checkUser({ userName: 'ana.lopez', password: 'correct horse' }).errors).toEqual([]);
    expect(checkUser({ userName: ' ', password: 'x' }).errors.map((e) => e.field)).toEqual(['userName', 'password']);
    expect(checkUser({ userName: 'ana lopez', password: 'longenough' }).errors[0]?.message).toMatch(/only letters/);
  });
});
