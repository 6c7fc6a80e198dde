// The activity service: records each change the admin makes and lists them, newest first. Headlines and details name
// apps, scopes and keychain entries, never a secret's value.
import type { AppChanges } from '../../shared/changes';
import type { activityOperations } from '../../shared/contract';
import { ACTIVITY_KIND_OF, isAboutApplication, type ActivityEntry } from '../../shared/activity';
import type { ActivityRepository, NewActivity } from '../workspace/activity';
import type { HandlersOf } from '../dispatch';
import { writePrivately } from '../../node/privateFiles';
import type { Services } from './index';
import { writeIfPossible } from '../workspace/unwritable';

/** What an entry is about when its target is an application: its name, as the list shows it instead of an ID. */
export type AppNameOf = (organisationId: string, clientId: string) => string | null;

export type { ActivityAction } from '../../shared/activity';

/** An entry to record: a headline, and the full account apart (left out or empty when the headline says it all). */
export interface ActivityRecord extends Omit<NewActivity, 'subject' | 'detail'> {
  /** The name the entry is about; for an application it is looked up from the cache when not given. */
  subject?: string | null;
  detail?: string;
}

/** An application as an entry's detail names it: "name", or its App ID when the organisation gave it no name. */
export function appWords(app: { id: string; name: string }): string {
  return app.name ? `"${app.name}"` : `the application ${app.id} (it has no name)`;
}

/**
 * The headline of an app.update entry, a sentence with names: "Renamed “A” → “B”; added application scope X". The
 * window shows the headline, the application it is about in its own column, and the detail (the full account) apart.
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
    /** Records an entry with its headline and detail apart; an application's name is looked up when not given. */
    record(entry: ActivityRecord): void {
      const subject =
        entry.subject !== undefined
          ? entry.subject
          : isAboutApplication(ACTIVITY_KIND_OF[entry.action])
            ? appNameOf(entry.organisation, entry.target)
            : null;
      // An entry is never worth failing a change already made: on a full or read-only disk it is left out.
      writeIfPossible(() => repository.record({ ...entry, subject, detail: entry.detail ?? '' }));
    },
    list(limit: number): ActivityEntry[] {
      return repository.list(limit);
    },
    /** Every entry kept, oldest first, written privately to `path` (an export of the history before it is pruned). */
    exportFile(path: string): { path: string; entries: number } {
      const entries = repository.entries();
      const document = { exportedAt: new Date().toISOString(), entries };
      writePrivately(path, `${JSON.stringify(document, null, 2)}\n`);
      return { path, entries: entries.length };
    },
  };
}
export type ActivityService = ReturnType<typeof activityService>;

/** The handlers of the activity list's operation (src/shared/contract/activity.ts): one line each onto the services. */
export function activityHandlers(s: Services): HandlersOf<typeof activityOperations> {
  return {
    listActivity: ({ limit }) => Promise.resolve(s.activity.list(limit)),
    exportActivityFile: ({ path }) => Promise.resolve(s.activity.exportFile(path)),
  };
}
