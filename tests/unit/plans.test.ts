// One plan for every preview: entries built the one way from before and after (src/main/services/plans.ts), counted,
// worded once (src/shared/changes.ts) and printed by the CLI's planText; the Plan schema holds what main builds.
import { describe, expect, it } from 'vitest';
import { planText } from '../../src/cli/planText';
import { createEntry, planEntry, planOf, refusalsOf } from '../../src/main/services/plans';
import { describePlanCounts } from '../../src/shared/changes';
import { AppError } from '../../src/shared/errors';
import type { ExternalClient } from '../../src/shared/model';
import { Plan } from '../../src/shared/plan';

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
      scopes: [{ name: 'OR.Jobs', displayName: 'OR.Jobs', description: '', type: 'application' }],
    },
  ],
  secrets: [],
};
const acme = { id: 'acme', displayName: 'Acme' };

describe('a plan entry', () => {
  it('updates an application an edit changes, and leaves one it does not', () => {
    const entry = planEntry(app, { scopes: [{ name: 'OR.Queues', type: 'application' }] });
    expect(entry).toEqual({
      app: { id: 'a1', name: 'Nightly jobs' },
      action: 'update',
      changes: {
        name: null,
        redirectUri: null,
        added: { user: [], application: ['OR.Queues'] },
        removed: { user: [], application: ['OR.Jobs'] },
      },
      refusals: [],
    });
    expect(planEntry(app, { name: 'Nightly jobs ' }).action).toBe('unchanged');
  });

  it('creates one with no App ID yet: its redirect URL and every scope as added', () => {
    const entry = createEntry({
      name: 'Copy',
      redirectUri: 'https://app.example.com/cb',
      scopes: [
        { name: 'OR.Jobs', type: 'user' },
        { name: 'OR.Assets', type: 'user' },
        { name: 'OR.Jobs', type: 'user' },
      ],
    });
    expect(entry).toMatchObject({
      app: { id: null, name: 'Copy' },
      action: 'create',
      changes: {
        name: null,
        redirectUri: { from: null, to: 'https://app.example.com/cb' },
        added: { user: ['OR.Assets', 'OR.Jobs'], application: [] },
      },
    });
  });

  it('is refused by the rules’ messages, unless they only say what is left out', () => {
    expect(planEntry(app, { name: '' }, { refusals: ['Application Name is required.'] }).action).toBe('refused');
    const leftOut = planEntry(
      app,
      { scopes: [{ name: 'OR.Queues', type: 'application' }] },
      { refusals: ['OR.Folders is left out.'], refused: false },
    );
    expect([leftOut.action, leftOut.refusals]).toEqual(['update', ['OR.Folders is left out.']]);
  });

  it('takes the messages of a check that throws its refusal, and lets another error through', () => {
    const refuse = () => {
      throw AppError.invalid([{ field: 'clientId', message: 'Not here.' }]);
    };
    expect(refusalsOf(refuse)).toEqual(['Not here.']);
    expect(refusalsOf(() => undefined)).toEqual([]);
    expect(() =>
      refusalsOf(() => {
        throw new AppError('organisation_unreachable', 'Gone.');
      }),
    ).toThrow('Gone.');
  });
});

describe('a plan', () => {
  const plan = planOf(acme, [
    planEntry(app, { name: 'Nightly jobs v2' }),
    planEntry(app, {}),
    createEntry({ name: 'New', redirectUri: null, scopes: [{ name: 'OR.Jobs', type: 'application' }] }),
    createEntry({ name: 'Bad', redirectUri: null, scopes: [] }, { refusals: ['Add at least one scope.'] }),
  ]);

  it('counts its entries by action and names its organisation, in the Plan schema', () => {
    expect(plan.summary).toEqual({
      organisation: { id: 'acme', name: 'Acme' },
      counts: { create: 1, update: 1, unchanged: 1, refused: 1 },
    });
    expect(Plan.parse(plan)).toEqual(plan);
    expect(planOf({ id: 'x', displayName: '' }, []).summary.organisation.name).toBe('x');
  });

  it('says its counts in one sentence', () => {
    expect(describePlanCounts(plan.summary)).toBe(
      '4 applications in Acme: 1 to create, 1 to update, 1 unchanged, 1 refused.',
    );
    expect(describePlanCounts(planOf(acme, [planEntry(app, { name: 'v2' })]).summary)).toBe(
      '1 application in Acme: 1 to update.',
    );
    expect(describePlanCounts(planOf(acme, []).summary)).toBe('No applications in Acme.');
  });

  it('prints one line per application, its refusals below, then the counts', () => {
    expect(planText(plan).split('\n')).toEqual([
      'update    Nightly jobs (a1): Name: "Nightly jobs" → "Nightly jobs v2"',
      'unchanged Nightly jobs (a1)',
      'create    New: Add application scopes: OR.Jobs',
      'refused   Bad',
      '    Add at least one scope.',
      '4 applications in Acme: 1 to create, 1 to update, 1 unchanged, 1 refused.',
    ]);
  });
});

describe('federated credentials in a plan', () => {
  const issuer = 'https://token.actions.githubusercontent.com';
  const added = { change: 'add' as const, name: 'CI main', issuer, subject: 'repo:acme/robots:ref:refs/heads/main' };
  const replaced = { change: 'replace' as const, name: 'Prod', issuer, subject: 'repo:acme/robots:environment:prod' };

  it('makes an application whose scopes stay an update, carried in the Plan schema', () => {
    const entry = planEntry(app, {}, { federated: [added, replaced] });
    expect(entry).toMatchObject({ action: 'update', federated: [added, replaced], refusals: [] });
    expect(planEntry(app, {})).not.toHaveProperty('federated');
    const plan = planOf(acme, [
      entry,
      createEntry({ name: 'New', redirectUri: null, scopes: [] }, { federated: [added] }),
    ]);
    expect(Plan.parse(plan)).toEqual(plan);
    expect(plan.summary.counts).toEqual({ create: 1, update: 1, unchanged: 0, refused: 0 });
  });

  it('is said as it adds or replaces each, by name, issuer and subject', () => {
    const plan = planOf(acme, [
      planEntry(app, {}, { federated: [added, replaced] }),
      createEntry(
        { name: 'New', redirectUri: null, scopes: [{ name: 'OR.Jobs', type: 'application' }] },
        {
          federated: [added],
        },
      ),
    ]);
    expect(planText(plan).split('\n')).toEqual([
      `update    Nightly jobs (a1): adds federated credential “CI main” (${issuer}, repo:acme/robots:ref:refs/heads/main); replaces federated credential “Prod” (${issuer}, repo:acme/robots:environment:prod)`,
      `create    New: Add application scopes: OR.Jobs; adds federated credential “CI main” (${issuer}, repo:acme/robots:ref:refs/heads/main)`,
      '2 applications in Acme: 1 to create, 1 to update.',
    ]);
  });
});
