// Activity as sentences: main writes a headline with names first, and the window reads names rather than App IDs.
import { describe, expect, it } from 'vitest';
import { appChangeHeadline } from '../../src/main/services/activity';
import type { ActivityEntry } from '../../src/shared/model';
import { activityKindOf, readActivity } from '../../src/renderer/src/activityText';

const none = { user: [], application: [] };

describe('appChangeHeadline', () => {
  it('says a rename with both names', () => {
    expect(
      appChangeHeadline({
        name: { from: 'Invoice sync', to: 'Invoice sync (prod)' },
        redirectUri: null,
        added: none,
        removed: none,
      }),
    ).toBe('Renamed “Invoice sync” → “Invoice sync (prod)”');
  });

  it('joins several changes in one sentence', () => {
    expect(
      appChangeHeadline({
        name: null,
        redirectUri: { from: null, to: 'https://app.example.com/cb' },
        added: { user: [], application: ['OR.Jobs'] },
        removed: { user: ['OR.Queues', 'OR.Assets'], application: [] },
      }),
    ).toBe(
      'Set the redirect URL to https://app.example.com/cb; added application scope OR.Jobs; removed user scopes OR.Queues, OR.Assets',
    );
  });
});

function entry(
  partial: Partial<ActivityEntry> & Pick<ActivityEntry, 'id' | 'action' | 'target' | 'detail'>,
): ActivityEntry {
  return { at: '2026-03-01T12:00:00Z', tenant: 'local', subject: null, ...partial };
}

describe('readActivity', () => {
  const entries = [
    entry({
      id: 3,
      action: 'secret.copy',
      target: 'app-1',
      detail: 'Copied a secret to the clipboard\nSecret s1 copied.',
    }),
    entry({
      id: 2,
      action: 'app.update',
      target: 'app-1',
      subject: 'Invoice sync (prod)',
      detail: 'Renamed “A” → “B”\nChanged…',
    }),
    entry({ id: 1, action: 'app.create', target: 'app-2', detail: 'Registered an old app' }),
    entry({ id: 0, action: 'user.create', target: 'ada', subject: 'ada', detail: 'Added the user ada' }),
  ];
  const read = readActivity(entries);

  it('shows the headline, keeps the rest for expanding, and everything for the hover', () => {
    expect(read[0]).toMatchObject({ headline: 'Copied a secret to the clipboard', more: 'Secret s1 copied.' });
    expect(read[0]?.full).toBe('Copied a secret to the clipboard\nSecret s1 copied.');
    expect(read[2]).toMatchObject({ headline: 'Registered an old app', more: null });
  });

  it('names an application from another entry about it, and falls back to its ID only when none is known', () => {
    expect(read[0]).toMatchObject({ appId: 'app-1', about: 'Invoice sync (prod)', aboutKnown: true });
    expect(read[2]).toMatchObject({ appId: 'app-2', about: 'App ID app-2', aboutKnown: false });
    expect(read[3]).toMatchObject({ appId: null, about: 'ada', aboutKnown: true });
  });

  it('sorts actions into kinds for the filter', () => {
    expect(
      ['app.copy', 'secret.stored', 'handoff.export', 'user.delete', 'tenant.sync', 'other'].map(activityKindOf),
    ).toEqual(['application', 'secret', 'handoff', 'user', 'organisation', null]);
  });
});
