// The workspace's migrations in the order they apply. Append only: a shipped migration never changes.
import { initial } from './0001_initial';
import { secretExpiry } from './0002_secret_expiry';
import { organisations } from './0003_organisations';
import { scopeSets } from './0004_scope_sets';
import { activitySubject } from './0005_activity_subject';
import { expiryIndex } from './0006_expiry_index';
import { integerSecretIds } from './0007_integer_secret_ids';
import { activityHeadline } from './0008_activity_headline';
import { federatedCredentialCount } from './0009_federated_credential_count';

export interface Migration {
  /** Ordered name, e.g. 0002_scope_sets; its position in `migrations` is its version. */
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  initial,
  secretExpiry,
  organisations,
  scopeSets,
  activitySubject,
  expiryIndex,
  integerSecretIds,
  activityHeadline,
  federatedCredentialCount,
];
