// The activity list: what the admin did, newest first.
import { z } from 'zod';
import type { ActivityEntry } from '../model';
import { labelled, op } from './operation';

export const activityOperations = {
  /** What the admin did, newest first. Never carries a secret. */
  listActivity: op<ActivityEntry[]>()(
    z.object({ limit: labelled(z.number().int().min(1).max(1000), 'Limit').default(200) }).strict(),
  ),
  /**
   * Writes every entry the list keeps, oldest first, to a file (the CLI's --output): the history is bounded (50 000
   * entries or 2 years, whichever keeps more), so old entries are exported before they go.
   */
  exportActivityFile: op<{ path: string; entries: number }>()(
    z.object({ path: labelled(z.string().min(1, 'Path must not be empty.'), 'Path') }).strict(),
  ),
} as const;
