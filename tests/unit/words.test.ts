// The pure wording functions of "words and numbers agree": a day in a sentence, an organisation by its one name.
import { describe, expect, it } from 'vitest';
import { dayInWords } from '../../src/shared/dayWords';
import { organisationNameOf } from '../../src/renderer/src/activityText';
import { describeCreate } from '../../src/shared/changes';
import { coverageWords, lacksInFull } from '../../src/renderer/src/coverageText';
import { organisationInWords } from '../../src/shared/organisationInWords';

describe('dayInWords', () => {
  it('says the day of an ISO time, in UTC, whatever the time of day', () => {
    expect(dayInWords('2027-01-31T00:00:00Z')).toBe('31 Jan 2027');
    expect(dayInWords('2027-01-31T23:59:59.999Z')).toBe('31 Jan 2027');
    expect(dayInWords('2026-12-05T10:00:00+00:00')).toBe('5 Dec 2026');
  });
  it('gives back text that is no time as it is', () => {
    expect(dayInWords('soon')).toBe('soon');
  });
});

describe('organisationNameOf', () => {
  const organisations = [
    { id: 'local', displayName: 'Local Identity Server' },
    { id: 'acme', displayName: '' },
  ];
  it('names an organisation by its display name, never its ID', () => {
    expect(organisationNameOf('local', organisations)).toBe('Local Identity Server');
  });
  it('falls back to the ID when it has no display name, or was removed', () => {
    expect(organisationNameOf('acme', organisations)).toBe('acme');
    expect(organisationNameOf('gone', organisations)).toBe('gone');
  });
});

describe('describeCreate', () => {
  it('says a new application’s scopes by type and its redirect URL', () => {
    expect(
      describeCreate({
        redirectUri: { from: null, to: 'https://app.example.com/cb' },
        added: { user: ['OR.Jobs.Read'], application: ['OR.Jobs', 'OR.Queues'] },
      }),
    ).toEqual([
      'User scopes: OR.Jobs.Read',
      'Application scopes: OR.Jobs, OR.Queues',
      'Redirect URL: https://app.example.com/cb',
    ]);
  });
  it('says none where it gets none', () => {
    expect(describeCreate({ redirectUri: null, added: { user: [], application: [] } })).toEqual([
      'User scopes: none',
      'Application scopes: none',
      'Redirect URL: none',
    ]);
  });
});

describe('coverageWords', () => {
  const scope = (name: string) => ({ name, type: 'user' as const });
  it('names what an organisation lacks, the rest counted', () => {
    expect(coverageWords({ displayName: 'Acme', cached: true, missing: [scope('OR.Legacy.Scope')] })).toBe(
      'Acme: lacks OR.Legacy.Scope',
    );
    expect(coverageWords({ displayName: 'Acme', cached: true, missing: ['A', 'B', 'C', 'D'].map(scope) })).toBe(
      'Acme: lacks A, B and 2 more',
    );
  });
  it('says an organisation holds all, or is not synced', () => {
    expect(coverageWords({ displayName: 'Acme', cached: true, missing: [] })).toBe('✓ Acme: holds all');
    expect(coverageWords({ displayName: 'Acme', cached: false, missing: [] })).toBe('Acme: not synced');
  });
  it('names every lacking scope with its type on hover', () => {
    expect(lacksInFull({ missing: [scope('A'), { name: 'B', type: 'application' }] })).toBe(
      'Not in its catalogue: A (user), B (application)',
    );
  });
});

describe('organisationInWords', () => {
  it('gives main’s sentences the display name, never the workspace’s ID', () => {
    expect(organisationInWords({ displayName: 'Local Identity Server', orgName: 'local' })).toBe(
      'Local Identity Server',
    );
  });
  it('falls back to the organisation’s name at UiPath when it has no display name', () => {
    expect(organisationInWords({ displayName: '  ', orgName: 'acme' })).toBe('acme');
    expect(organisationInWords({ displayName: null, orgName: 'acme' })).toBe('acme');
  });
});
