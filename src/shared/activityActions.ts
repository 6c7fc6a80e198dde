// Every action the activity list records, each with its kind: zod-free, so the window's filter, the CLI and main read
// the one table (src/shared/activity.ts makes the zod schemas of them). An organisation is what UiPath calls one, the
// organisation a smaller thing inside it: the actions say organisation.

/** What an entry is about, for the Activity view's filter. `registrations`: registrations as code (exports, imports). */
export const ACTIVITY_KINDS = [
  'organisation',
  'application',
  'secret',
  'federated',
  'handoff',
  'user',
  'scopeSet',
  'draft',
  'registrations',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const ACTIVITY_ACTIONS = [
  'organisation.connect',
  'organisation.admin_secret_reissued',
  'organisation.admin_secret_rotated',
  'organisation.add',
  'organisation.remove',
  'organisation.sign_in_changed',
  'organisation.sync',
  'app.create',
  'app.update',
  'app.delete',
  'app.copy',
  'secret.generate',
  'secret.replace',
  'secret.delete',
  'secret.copy',
  'secret.stored',
  'secret.keychain_failed',
  'secret.dismissed',
  'federated.create',
  'federated.update',
  'federated.delete',
  'handoff.export',
  'user.create',
  'user.delete',
  'scopeSet.create',
  'scopeSet.update',
  'scopeSet.delete',
  'scopeSet.apply',
  'draft.save',
  'draft.delete',
  'registrations.export',
  'registrations.import',
] as const;
export type ActivityAction = (typeof ACTIVITY_ACTIONS)[number];

/** Each action's kind; TypeScript refuses an action left out. */
export const ACTIVITY_KIND_OF: Readonly<Record<ActivityAction, ActivityKind>> = {
  'organisation.connect': 'organisation',
  'organisation.admin_secret_reissued': 'organisation',
  'organisation.admin_secret_rotated': 'organisation',
  'organisation.add': 'organisation',
  'organisation.remove': 'organisation',
  'organisation.sign_in_changed': 'organisation',
  'organisation.sync': 'organisation',
  'app.create': 'application',
  'app.update': 'application',
  'app.delete': 'application',
  'app.copy': 'application',
  'secret.generate': 'secret',
  'secret.replace': 'secret',
  'secret.delete': 'secret',
  'secret.copy': 'secret',
  'secret.stored': 'secret',
  'secret.keychain_failed': 'secret',
  'secret.dismissed': 'secret',
  'federated.create': 'federated',
  'federated.update': 'federated',
  'federated.delete': 'federated',
  'handoff.export': 'handoff',
  'user.create': 'user',
  'user.delete': 'user',
  'scopeSet.create': 'scopeSet',
  'scopeSet.update': 'scopeSet',
  'scopeSet.delete': 'scopeSet',
  'scopeSet.apply': 'scopeSet',
  'draft.save': 'draft',
  'draft.delete': 'draft',
  'registrations.export': 'registrations',
  'registrations.import': 'registrations',
};

/** Each kind as the Activity view's filter names it, in the filter's order. */
export const ACTIVITY_KIND_LABELS: Readonly<Record<ActivityKind, string>> = {
  organisation: 'Organisations',
  application: 'Applications',
  secret: 'Secrets',
  federated: 'Federated credentials',
  handoff: 'Handoffs',
  user: 'Users',
  scopeSet: 'Scope sets',
  draft: 'Drafts',
  registrations: 'Imports and exports',
};

/** Whether an entry of this kind has an application's App ID as its target (its name is looked up, filtered by). */
export function isAboutApplication(kind: ActivityKind): boolean {
  return kind === 'application' || kind === 'secret' || kind === 'federated' || kind === 'handoff';
}
