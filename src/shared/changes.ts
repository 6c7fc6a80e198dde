// What saving an edited application will change: the preview an admin confirms before anything is applied, and the
// words of every plan (./plan.ts) the window and the CLI both say.
import type { ExternalClient, ScopeRequest, ScopeType } from './model';
import type { PlanAction, PlanSummary } from './plan';

export interface ScopeChanges {
  user: string[];
  application: string[];
}

export interface AppChanges {
  name: { from: string; to: string } | null;
  redirectUri: { from: string | null; to: string | null } | null;
  added: ScopeChanges;
  removed: ScopeChanges;
}

export interface AppEdit {
  name?: string;
  redirectUri?: string | null;
  scopes?: readonly ScopeRequest[];
}

/** The scopes an application holds, as requests (name and type). */
export function scopesOf(app: ExternalClient): ScopeRequest[] {
  return app.resources.flatMap((r) => r.scopes.map((s) => ({ name: s.name, type: s.type })));
}

function namesOf(scopes: readonly ScopeRequest[], type: ScopeType): Set<string> {
  return new Set(scopes.filter((s) => s.type === type).map((s) => s.name));
}

function difference(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter((x) => !b.has(x)).sort();
}

export function diffApp(current: ExternalClient, edit: AppEdit): AppChanges {
  const nextName = edit.name === undefined ? current.name : edit.name.trim();
  // An empty redirect URL in the edit means none.
  const nextRedirect =
    edit.redirectUri === undefined ? current.redirectUri : edit.redirectUri === '' ? null : edit.redirectUri;
  const before = scopesOf(current);
  const after = edit.scopes ?? before;
  const changes = (type: ScopeType) => ({
    added: difference(namesOf(after, type), namesOf(before, type)),
    removed: difference(namesOf(before, type), namesOf(after, type)),
  });
  const user = changes('user');
  const application = changes('application');
  return {
    name: nextName !== current.name ? { from: current.name, to: nextName } : null,
    redirectUri: nextRedirect !== current.redirectUri ? { from: current.redirectUri, to: nextRedirect } : null,
    added: { user: user.added, application: application.added },
    removed: { user: user.removed, application: application.removed },
  };
}

export function hasChanges(changes: AppChanges): boolean {
  return (
    changes.name !== null ||
    changes.redirectUri !== null ||
    [changes.added, changes.removed].some((c) => c.user.length > 0 || c.application.length > 0)
  );
}

/** The preview as lines a person reads, the same in the window and the CLI. */
export function describeChanges(changes: AppChanges): string[] {
  const lines: string[] = [];
  if (changes.name) lines.push(`Name: "${changes.name.from}" → "${changes.name.to}"`);
  if (changes.redirectUri)
    lines.push(`Redirect URL: ${changes.redirectUri.from ?? '(none)'} → ${changes.redirectUri.to ?? '(none)'}`);
  const scopeLine = (verb: string, type: string, names: string[]) => {
    if (names.length > 0) lines.push(`${verb} ${type} scopes: ${names.join(', ')}`);
  };
  scopeLine('Add', 'user', changes.added.user);
  scopeLine('Add', 'application', changes.added.application);
  scopeLine('Remove', 'user', changes.removed.user);
  scopeLine('Remove', 'application', changes.removed.application);
  return lines.length > 0 ? lines : ['No changes.'];
}

/**
 * What a new application would be made with, for a plan's Create row: its scopes by type and its redirect URL, each
 * said even when there is none ("User scopes: none"), as nothing is there before it to change from.
 */
export function describeCreate(changes: Pick<AppChanges, 'redirectUri' | 'added'>): string[] {
  const names = (list: readonly string[]) => (list.length > 0 ? list.join(', ') : 'none');
  return [
    `User scopes: ${names(changes.added.user)}`,
    `Application scopes: ${names(changes.added.application)}`,
    `Redirect URL: ${changes.redirectUri?.to ?? 'none'}`,
  ];
}

/** Each action of a plan as its counts say it, in the order they are said. */
export const PLAN_COUNT_WORDS: Record<PlanAction, string> = {
  create: 'to create',
  update: 'to update',
  unchanged: 'unchanged',
  refused: 'refused',
};

/** A plan's counts in one sentence naming the organisation: "3 applications in Acme: 1 to create, 2 to update." */
export function describePlanCounts(summary: PlanSummary): string {
  const actions = Object.keys(PLAN_COUNT_WORDS) as PlanAction[];
  const total = actions.reduce((sum, action) => sum + summary.counts[action], 0);
  const where = summary.organisation.name;
  if (total === 0) return `No applications in ${where}.`;
  const parts = actions.filter((a) => summary.counts[a] > 0).map((a) => `${summary.counts[a]} ${PLAN_COUNT_WORDS[a]}`);
  return `${total} application${total === 1 ? '' : 's'} in ${where}: ${parts.join(', ')}.`;
}
