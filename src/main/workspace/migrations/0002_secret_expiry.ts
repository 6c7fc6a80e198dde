// The soonest secret expiry of each cached application, so the list can mark secrets close to expiry without
// parsing each application's document.
import type { Migration } from './index';

export const secretExpiry: Migration = {
  name: '0002_secret_expiry',
  sql: `
    ALTER TABLE registrations ADD COLUMN next_secret_expiry TEXT;
    UPDATE registrations SET next_secret_expiry = (
      SELECT min(json_extract(s.value, '$.expiryTime')) FROM json_each(registrations.json, '$.secrets') AS s
    );
  `,
};
