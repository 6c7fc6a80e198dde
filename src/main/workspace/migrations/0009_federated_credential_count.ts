// A cached application knows how many federated credentials it has, so the list can mark a secretless one (federated
// credentials and no secret) without asking the organisation per row. NULL: not known yet (filled when the
// application's credentials are listed or changed, and at sync for confidential applications without a secret).
import type { Migration } from './index';

export const federatedCredentialCount: Migration = {
  name: '0009_federated_credential_count',
  sql: `
    ALTER TABLE registrations ADD COLUMN federated_credential_count INTEGER;
  `,
};
