// Activity as sentences: main writes a headline with names and the detail apart, sorts each action into its kind, and the
// window reads names rather than App IDs.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { activityService, appChangeHeadline, type ActivityRecord } from '../../src/main/services/activity';
import type { ActivityRepository, NewActivity } from '../../src/main/workspace/activity';
import type { ActivityEntry } from '../../src/shared/model';
import { ACTIVITY_KIND_OPTIONS, readActivity } from '../../src/renderer/src/activityText';
import { ACTIVITY_ACTIONS, ACTIVITY_KIND_OF, ACTIVITY_KINDS } from '../../src/shared/activityActions';

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

describe('activityService.record', () => {
  function recorder() {
    const recorded: NewActivity[] = [];
    const repository: ActivityRepository = {
      record: (entry) => {
        recorded.push(entry);
      },
      list: () => [],
      pruneOld: () => 0,
      count: () => recorded.length,
      entries: () => [],
    };
    const service = activityService(repository, (_organisation, id) => `name of ${id}`);
    return { recorded, service };
  }

  it('keeps the headline and the detail apart, the detail whole, and empty when left out', () => {
    const { recorded, service } = recorder();
    service.record({
      organisation: 't',
      action: 'app.delete',
      target: 'a1',
      headline: 'Deleted “A”',
      detail: 'All of it.\nAnd more.',
    });
    service.record({
      organisation: '',
      action: 'scopeSet.delete',
      target: 'Readers',
      headline: 'Deleted scope set "Readers"',
    });
    expect(recorded).toEqual([
      {
        organisation: 't',
        action: 'app.delete',
        target: 'a1',
        subject: 'name of a1',
        headline: 'Deleted “A”',
        detail: 'All of it.\nAnd more.',
      },
      {
        organisation: '',
        action: 'scopeSet.delete',
        target: 'Readers',
        subject: null,
        headline: 'Deleted scope set "Readers"',
        detail: '',
      },
    ]);
  });

  it('takes no entry without a headline: the detail is never split into one', () => {
    expectTypeOf<{
      organisation: string;
      action: 'secret.copy';
      target: string;
      detail: string;
    }>().not.toExtend<ActivityRecord>();
    expectTypeOf<{
      organisation: string;
      action: 'secret.copy';
      target: string;
      headline: string;
    }>().toExtend<ActivityRecord>();
  });
});

function entry(
  partial: Partial<ActivityEntry> & Pick<ActivityEntry, 'id' | 'action' | 'target' | 'headline'>,
): ActivityEntry {
  return {
    at: '2026-03-01T12:00:00Z',
    organisation: 'local',
    subject: null,
    detail: '',
    kind: ACTIVITY_KIND_OF[partial.action],
    ...partial,
  };
}

describe('readActivity', () => {
  const entries = [
    entry({
      id: 3,
      action: 'secret.copy',
      target: 'app-1',
      headline: 'Copied a secret to the clipboard',
      detail: 'Secret s1 copied.',
    }),
    entry({
      id: 2,
      action: 'app.update',
      target: 'app-1',
      subject: 'Invoice sync (prod)',
      headline: 'Renamed “A” → “B”',
      detail: 'Changed…',
    }),
    entry({ id: 1, action: 'app.create', target: 'app-2', headline: 'Registered an old app' }),
    entry({ id: 0, action: 'user.create', target: 'ada', subject: 'ada', headline: 'Added the user ada' }),
    entry({ id: -1, action: 'scopeSet.create', target: 'Readers', headline: 'Created scope set "Readers"' }),
  ];
  const read = readActivity(entries);

  it('names an application from another entry about it, and falls back to its ID only when none is known', () => {
    expect(read[0]).toMatchObject({ appId: 'app-1', about: 'Invoice sync (prod)', aboutKnown: true });
    expect(read[2]).toMatchObject({ appId: 'app-2', about: 'App ID app-2', aboutKnown: false });
    expect(read[3]).toMatchObject({ appId: null, about: 'ada', aboutKnown: true });
    expect(read[4]).toMatchObject({ appId: null, about: 'Readers', aboutKnown: true });
  });
});

describe('the kinds of activity', () => {
  it('gives every action a kind, and the filter every kind', () => {
    for (const action of ACTIVITY_ACTIONS) expect(ACTIVITY_KINDS).toContain(ACTIVITY_KIND_OF[action]);
    expect(ACTIVITY_KIND_OPTIONS.map((o) => o.value)).toEqual([...ACTIVITY_KINDS]);
    expect(ACTIVITY_KIND_OPTIONS.map((o) => o.label)).toEqual([
      'Organisations',
      'Applications',
      'Secrets',
      'Federated credentials',
      'Handoffs',
      'Users',
      'Scope sets',
      'Drafts',
      'Imports and exports',
    ]);
  });

  it('sorts actions into kinds, organisations by their own name', () => {
    expect(
      (
        [
          'app.copy',
          'secret.stored',
          'handoff.export',
          'user.delete',
          'organisation.sync',
          'scopeSet.apply',
          'draft.save',
          'registrations.import',
        ] as const
      ).map((action) => ACTIVITY_KIND_OF[action]),
    ).toEqual(['application', 'secret', 'handoff', 'user', 'organisation', 'scopeSet', 'draft', 'registrations']);
  });
});
