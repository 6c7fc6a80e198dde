// What saving an edited application will change: the preview an admin confirms before anything is applied.
import type { ExternalClient, ScopeRequest, ScopeType } from './model';

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
