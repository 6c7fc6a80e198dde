// How an activity entry reads in the window: what it is about by name rather than by ID, and the kinds of the Activity
// view's filter (src/shared/activityActions.ts, the table main records by). Its headline and its detail are the
// entry's own fields, as main wrote them.
import {
  ACTIVITY_KIND_LABELS,
  ACTIVITY_KINDS,
  isAboutApplication,
  type ActivityKind,
} from '../../shared/activityActions';
import type { ActivityEntry, OrganisationSummary } from '../../shared/model';

export type { ActivityKind };

/** Every kind, in the filter's order, with the words it shows. */
export const ACTIVITY_KIND_OPTIONS: readonly { value: ActivityKind; label: string }[] = ACTIVITY_KINDS.map((kind) => ({
  value: kind,
  label: ACTIVITY_KIND_LABELS[kind],
}));

export interface ReadActivity {
  entry: ActivityEntry;
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
    if (entry.subject && isAboutApplication(entry.kind) && !names.has(entry.target))
      names.set(entry.target, entry.subject);
  return entries.map((entry) => {
    const appId = isAboutApplication(entry.kind) ? entry.target : null;
    const name = entry.subject ?? (appId ? names.get(appId) : undefined) ?? (appId ? null : entry.target);
    return { entry, appId, about: name ?? `App ID ${entry.target}`, aboutKnown: name !== null };
  });
}

/** The organisation an entry is about, by the one name the window gives it (its display name); its ID when removed. */
export function organisationNameOf(
  id: string,
  organisations: readonly Pick<OrganisationSummary, 'id' | 'displayName'>[],
): string {
  const known = organisations.find((o) => o.id === id);
  return known && known.displayName !== '' ? known.displayName : id;
}
