// The activity list: what the admin did, newest first.
import { z } from 'zod';
import type { ActivityEntry } from '../model';
import { labelled, op } from './operation';

export const activityOperations = {
  /** What the admin did, newest first. Never carries a secret. */
  listActivity: op<ActivityEntry[]>()(
    z.object({ limit: labelled(z.number().int().min(1).max(1000), 'Limit').default(200) }).strict(),
  ),
} as const;
