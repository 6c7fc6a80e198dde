// The activity service: records each change the admin makes and lists them, newest first. Details name apps,
// scopes and keychain entries, never a secret's value.
import type { ActivityEntry } from '../../shared/model';
import type { ActivityRepository, NewActivity } from '../workspace/activity';

export type ActivityAction =
  | 'tenant.connect'
  | 'tenant.admin_secret_reissued'
  | 'tenant.add'
  | 'tenant.remove'
  | 'tenant.sync'
  | 'app.create'
  | 'app.update'
  | 'app.delete'
  | 'app.copy'
  | 'secret.generate'
  | 'secret.replace'
  | 'secret.delete'
  | 'secret.copy'
  | 'secret.stored'
  | 'secret.keychain_failed'
  | 'secret.dismissed'
  | 'handoff.export'
  | 'user.create'
  | 'user.delete';

export function activityService(repository: ActivityRepository) {
  return {
    record(entry: NewActivity & { action: ActivityAction }): void {
      repository.record(entry);
    },
    list(limit: number): ActivityEntry[] {
      return repository.list(limit);
    },
  };
}
export type ActivityService = ReturnType<typeof activityService>;
