// How an activity entry reads in the window: its headline sentence (the detail's first line), the full account, what
// it is about by name rather than by ID, and its kind, for the Activity view's filters.
import type { ActivityEntry } from '../../shared/model';

export type ActivityKind = 'application' | 'secret' | 'handoff' | 'user' | 'organisation';

export const ACTIVITY_KINDS: readonly { kind: ActivityKind; label: string; prefix: string }[] = [
  { kind: 'application', label: 'Applications', prefix: 'app.' },
  { kind: 'secret', label: 'Secrets', prefix: 'secret.' },
  { kind: 'handoff', label: 'Handoffs', prefix: 'handoff.' },
  { kind: 'user', label: 'Users', prefix: 'user.' },
  { kind: 'organisation', label: 'Organisations', prefix: 'tenant.' },
];

export function activityKindOf(action: string): ActivityKind | null {
  return ACTIVITY_KINDS.find((k) => action.startsWith(k.prefix))?.kind ?? null;
}

export interface ReadActivity {
  entry: ActivityEntry;
  /** One sentence: what happened. */
  headline: string;
  /** The rest of the account, or null when the headline is all there is. */
  more: string | null;
  /** Everything, for the hover. */
  full: string;
  /** The application's ID when the entry is about one (its target), for the filter by application. */
  appId: string | null;
  /** What it is about, by name where one is known. */
  about: string;
  /** False when no name is known and `about` falls back to the ID. */
  aboutKnown: boolean;
}

/** Reads every entry; an application's name comes from its own entry, else from another entry about it. */
export function readActivity(entries: readonly ActivityEntry[]): ReadActivity[] {
  const names = new Map<string, string>();
  // Newest first: the first name met for an application is its latest.
  for (const entry of entries)
    if (entry.subject && isAboutApp(entry.action) && !names.has(entry.target)) names.set(entry.target, entry.subject);
  return entries.map((entry) => {
    const [headline = '', ...rest] = entry.detail.split('\n');
    const appId = isAboutApp(entry.action) ? entry.target : null;
    const name = entry.subject ?? (appId ? names.get(appId) : undefined) ?? (appId ? null : entry.target);
    return {
      entry,
      headline,
      more: rest.length > 0 ? rest.join('\n') : null,
      full: entry.detail,
      appId,
      about: name ?? `App ID ${entry.target}`,
      aboutKnown: name !== null,
    };
  });
}

function isAboutApp(action: string): boolean {
  const kind = activityKindOf(action);
  return kind === 'application' || kind === 'secret' || kind === 'handoff';
}
