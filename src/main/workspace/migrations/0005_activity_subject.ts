// Activity entries name what they are about (an application's name at the time), so the window reads names, not IDs.
import type { Migration } from './index';

export const activitySubject: Migration = {
  name: '0005_activity_subject',
  sql: `
    ALTER TABLE activity ADD COLUMN subject TEXT;
  `,
};
