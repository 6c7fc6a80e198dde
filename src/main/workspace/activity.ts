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

export function activityRepository(db: Db) {
  const insert = db.prepare(
    'INSERT INTO activity (at, tenant_id, action, target, subject, headline, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const recent = db.prepare<[number], Omit<ActivityEntry, 'kind'>>(
    'SELECT id, at, tenant_id AS organisation, action, target, subject, headline, detail FROM activity ORDER BY id DESC LIMIT ?',
  );

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
    },
    list(limit: number): ActivityEntry[] {
      return recent.all(limit).map((row) => ({ ...row, kind: ACTIVITY_KIND_OF[row.action] }));
    },
  };
}
export type ActivityRepository = ReturnType<typeof activityRepository>;
