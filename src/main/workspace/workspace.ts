// The workspace: the app's own SQLite state, opened once and reached through its repositories.
import { activityRepository } from './activity';
import { catalogueCacheRepository } from './catalogueCache';
import { openRecoveringDatabase, type Db } from './database';
import { draftRepository } from './drafts';
import { registrationRepository } from './registrations';
import { scopeSetRepository } from './scopeSets';
import { secretRepository } from './secrets';
import { settingsRepository } from './settings';
import { organisationRepository } from './organisations';

export function openWorkspace(home: string) {
  const { db, recovered }: { db: Db; recovered: string | null } = openRecoveringDatabase(home);
  return {
    db,
    /** Why the workspace file was moved aside and a new one started at this opening; null when it opened as it was. */
    recovered,
    organisations: organisationRepository(db),
    catalogue: catalogueCacheRepository(db),
    registrations: registrationRepository(db),
    secrets: secretRepository(db),
    activity: activityRepository(db),
    settings: settingsRepository(db),
    scopeSets: scopeSetRepository(db),
    drafts: draftRepository(db),
    close(): void {
      if (db.open) db.close();
    },
  };
}
export type Workspace = ReturnType<typeof openWorkspace>;
