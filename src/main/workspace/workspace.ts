// The workspace: the app's own SQLite state, opened once and reached through its repositories.
import { activityRepository } from './activity';
import { catalogueCacheRepository } from './catalogueCache';
import { openDatabase, type Db } from './database';
import { registrationRepository } from './registrations';
import { secretRepository } from './secrets';
import { settingsRepository } from './settings';
import { tenantRepository } from './tenants';

export function openWorkspace(home: string) {
  const db: Db = openDatabase(home);
  return {
    db,
    tenants: tenantRepository(db),
    catalogue: catalogueCacheRepository(db),
    registrations: registrationRepository(db),
    secrets: secretRepository(db),
    activity: activityRepository(db),
    settings: settingsRepository(db),
    close(): void {
      if (db.open) db.close();
    },
  };
}
export type Workspace = ReturnType<typeof openWorkspace>;
