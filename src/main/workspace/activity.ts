// The activity list: what the admin did, newest first. Callers pass no secret values; the schema has nowhere for one.
import type { ActivityEntry } from '../../shared/model';
import type { Db } from './database';

export interface NewActivity {
  tenant: string;
  action: string;
  target: string;
  /** Who or what the entry is about, by name (an application's name at the time); null when the target says it. */
  subject?: string | null;
  detail: string;
}

export function activityRepository(db: Db) {
  const insert = db.prepare(
    'INSERT INTO activity (at, tenant_id, action, target, subject, detail) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const recent = db.prepare<[number], ActivityEntry>(
    'SELECT id, at, tenant_id AS tenant, action, target, subject, detail FROM activity ORDER BY id DESC LIMIT ?',
  );

  return {
    record(entry: NewActivity): void {
      insert.run(
        new Date().toISOString(),
        entry.tenant,
        entry.action,
        entry.target,
        entry.subject ?? null,
        entry.detail,
      );
    },
    list(limit: number): ActivityEntry[] {
      return recent.all(limit);
    },
  };
}
export type ActivityRepository = ReturnType<typeof activityRepository>;
