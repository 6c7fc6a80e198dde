// The activity list's shapes, as zod schemas: what the admin did, newest first. The actions and their kinds are listed
// once, zod-free, in activityActions.ts (the window reads that table too).
import { z } from 'zod';
import { ACTIVITY_ACTIONS, ACTIVITY_KINDS } from './activityActions';

export { ACTIVITY_KIND_LABELS, ACTIVITY_KIND_OF, isAboutApplication } from './activityActions';

export const ActivityAction = z.enum(ACTIVITY_ACTIONS);
export type ActivityAction = z.infer<typeof ActivityAction>;

export const ActivityKind = z.enum(ACTIVITY_KINDS);
export type ActivityKind = z.infer<typeof ActivityKind>;

export const ActivityEntry = z.object({
  id: z.number(),
  at: z.string(),
  organisation: z.string(),
  action: ActivityAction,
  /** The action's kind (ACTIVITY_KIND_OF), for a filter. */
  kind: ActivityKind,
  target: z.string(),
  /** What the entry is about, by name (an application's name when it was recorded); null when `target` says it. */
  subject: z.string().nullable(),
  /** One sentence with names: what happened ("Renamed “A” → “B”"). */
  headline: z.string(),
  /** The full account; empty when the headline says it all. */
  detail: z.string(),
});
export type ActivityEntry = z.infer<typeof ActivityEntry>;
