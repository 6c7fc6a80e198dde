// The applications with a secret that expires, by organisation and soonest expiry: the expiring-secrets badge and the
// daily notice read only those, not every cached application.
import type { Migration } from './index';

export const expiryIndex: Migration = {
  name: '0006_expiry_index',
  sql: `
    CREATE INDEX registrations_by_expiry ON registrations (tenant_id, next_secret_expiry)
      WHERE next_secret_expiry IS NOT NULL;
  `,
};
