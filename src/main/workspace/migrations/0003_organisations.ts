// Real organisations: how OAuth Desk signs in to each one. The embedded tenant signs in with its own admin
// application; every other one recorded before this migration was added with an admin application's secret.
// The current organisation is one row of `settings` (see ../settings.ts); registrations_fetched_at is the last sync.
import type { Migration } from './index';

export const organisations: Migration = {
  name: '0003_organisations',
  sql: `
    ALTER TABLE tenants ADD COLUMN sign_in TEXT NOT NULL DEFAULT 'adminApp'
      CHECK (sign_in IN ('embedded', 'adminApp', 'account'));
    UPDATE tenants SET sign_in = 'embedded' WHERE is_local = 1;
  `,
};
