// The workspace: the app's own SQLite state, opened once and reached through its repositories.
import { activityRepository } from './activity';
import { catalogueCacheRepository } from './catalogueCache';
import { openRecoveringDatabase, type Db } from './database';
import { draftRepository } from './drafts';
import { openReadOnlyDatabase } from './readOnlyDatabase';
import { keptSecretsOfRemovedRepository } from './keptSecretsOfRemoved';
import { pendingAppEditRepository } from './pendingAppEdits';
import { registrationRepository } from './registrations';
import { scopeSetRepository } from './scopeSets';
import { secretRepository } from './secrets';
import { settingsRepository } from './settings';
import { organisationRepository } from './organisations';

/** The workspace of `home`; `readOnly`: of a folder this process may not write (read as it is, every write refused). */
export function openWorkspace(home: string, readOnly = false) {
  const { db, recovered }: { db: Db; recovered: string | null } = readOnly
    ? { db: openReadOnlyDatabase(home), recovered: null }
    : openRecoveringDatabase(home);
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
    keptSecretsOfRemoved: keptSecretsOfRemovedRepository(db),
    pendingAppEdits: pendingAppEditRepository(db),
    close(): void {
      if (db.open) db.close();
    },
  };
}
export type Workspace = ReturnType<typeof openWorkspace>;
