// The activity service: records each change the admin makes and lists them, newest first. Details name apps,
// scopes and keychain entries, never a secret's value.
import type { AppChanges } from '../../shared/changes';
import type { activityOperations } from '../../shared/contract';
import type { ActivityEntry } from '../../shared/model';
import type { ActivityRepository, NewActivity } from '../workspace/activity';
import type { HandlersOf } from '../dispatch';
import type { Services } from './index';

export type ActivityAction =
  | 'tenant.connect'
  | 'tenant.admin_secret_reissued'
  | 'tenant.admin_secret_rotated'
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
  | 'user.delete'
  | 'scopeSet.create'
  | 'scopeSet.update'
  | 'scopeSet.delete'
  | 'scopeSet.apply'
  | 'draft.save'
  | 'draft.delete'
  | 'registrations.export'
  | 'registrations.import';

/** What an entry is about when its target is an application: its name, as the list shows it instead of an ID. */
export type AppNameOf = (tenantId: string, clientId: string) => string | null;

/** Actions whose target is an application's ID. */
function targetsApp(action: ActivityAction): boolean {
  return action.startsWith('app.') || action.startsWith('secret.') || action === 'handoff.export';
}

/** An application as an entry's detail names it: "name", or its App ID when the organisation gave it no name. */
export function appWords(app: { id: string; name: string }): string {
  return app.name ? `"${app.name}"` : `the application ${app.id} (it has no name)`;
}

/**
 * The first line of an app.update entry, a sentence with names: "Renamed “A” → “B”; added application scope X". An
 * entry's detail is its headline, then the full account on the next line; the window shows the headline, and the
 * application it is about in its own column.
 */
export function appChangeHeadline(changes: AppChanges): string {
  const parts: string[] = [];
  if (changes.name)
    parts.push(
      changes.name.from ? `renamed “${changes.name.from}” → “${changes.name.to}”` : `named it “${changes.name.to}”`,
    );
  if (changes.redirectUri)
    parts.push(
      changes.redirectUri.to ? `set the redirect URL to ${changes.redirectUri.to}` : 'removed the redirect URL',
    );
  const scopes = (verb: string, type: string, names: string[]) => {
    if (names.length > 0) parts.push(`${verb} ${type} scope${names.length === 1 ? '' : 's'} ${names.join(', ')}`);
  };
  scopes('added', 'user', changes.added.user);
  scopes('added', 'application', changes.added.application);
  scopes('removed', 'user', changes.removed.user);
  scopes('removed', 'application', changes.removed.application);
  const sentence = parts.length > 0 ? parts.join('; ') : 'changed nothing';
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

export function activityService(repository: ActivityRepository, appNameOf: AppNameOf = () => null) {
  return {
    /** `subject`: the name the entry is about; for an application it is looked up from the cache when not given. */
    record(entry: NewActivity & { action: ActivityAction }): void {
      const subject =
        entry.subject !== undefined
          ? entry.subject
          : targetsApp(entry.action)
            ? appNameOf(entry.tenant, entry.target)
            : null;
      repository.record({ ...entry, subject });
    },
    list(limit: number): ActivityEntry[] {
      return repository.list(limit);
    },
  };
}
export type ActivityService = ReturnType<typeof activityService>;

/** The handlers of the activity list's operation (src/shared/contract/activity.ts): one line each onto the services. */
export function activityHandlers(s: Services): HandlersOf<typeof activityOperations> {
  return {
    listActivity: ({ limit }) => Promise.resolve(s.activity.list(limit)),
  };
}
