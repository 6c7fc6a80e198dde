// The activity list: what the admin did, newest first. Callers pass no secret values; the schema has nowhere for one.
import { ACTIVITY_KIND_OF, type ActivityAction, type ActivityEntry } from '../../shared/activity';
import type { Db } from './database';

export interface NewActivity {
  organisation: string;
  action: ActivityAction;
  target: string;
  /** Who or what the entry is about, by name (an application's name at the time); null when the target says it. */
  subject?: string | null;
  /** One sentence with names: what happened. */
  headline: string;
  /** The full account; empty when the headline says it all. */
  detail: string;
}

/**
 * How much history the list keeps: an entry goes once it is both older than `days` and not among the newest `entries`
 * (whichever keeps more). Old entries are pruned at start and every `pruneEvery` entries written; export them first
 * with `oauth-desk activity export`.
 */
export const ACTIVITY_HISTORY = { entries: 50_000, days: 730, pruneEvery: 1_000 } as const;

/** An entry as an export writes it: the list's entry, oldest first. */
export type ExportedActivity = Omit<ActivityEntry, 'kind'>;

export function activityRepository(
  db: Db,
  history: { entries: number; days: number; pruneEvery: number } = ACTIVITY_HISTORY,
) {
  const prune = db.prepare<[number, string]>(
    `DELETE FROM activity
     WHERE id <= (SELECT id FROM activity ORDER BY id DESC LIMIT 1 OFFSET ?) AND at < ?`,
  );
  const everything = db.prepare<[string], ExportedActivity>(
    'SELECT id, at, tenant_id AS organisation, action, target, subject, headline, detail FROM activity WHERE at < ? ORDER BY id',
  );
  const count = db.prepare<[], number>('SELECT count(*) FROM activity').pluck();
  let sincePrune = 0;
  /** Deletes what the history no longer keeps; answers how many entries went. */
  const pruneOld = (): number => {
    sincePrune = 0;
    const cutoff = new Date(Date.now() - history.days * 86_400_000).toISOString();
    return prune.run(history.entries, cutoff).changes;
  };
  const insert = db.prepare(
    'INSERT INTO activity (at, tenant_id, action, target, subject, headline, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const recent = db.prepare<[number], Omit<ActivityEntry, 'kind'>>(
    'SELECT id, at, tenant_id AS organisation, action, target, subject, headline, detail FROM activity ORDER BY id DESC LIMIT ?',
  );

  try {
    pruneOld();
  } catch {
    // A workspace that cannot be written (read-only): its history is pruned at the next start that can write.
  }

  return {
    record(entry: NewActivity): void {
      insert.run(
        new Date().toISOString(),
        entry.organisation,
        entry.action,
        entry.target,
        entry.subject ?? null,
        entry.headline,
        entry.detail,
      );
      if (++sincePrune >= history.pruneEvery) pruneOld();
    },
    pruneOld,
    count: (): number => count.get() ?? 0,
    /** Every entry older than `before` (an ISO date-time; all when left out), oldest first. */
    entries(before = '9999'): ExportedActivity[] {
      return everything.all(before);
    },
    list(limit: number): ActivityEntry[] {
      return recent.all(limit).map((row) => ({ ...row, kind: ACTIVITY_KIND_OF[row.action] }));
    },
  };
}
export type ActivityRepository = ReturnType<typeof activityRepository>;
