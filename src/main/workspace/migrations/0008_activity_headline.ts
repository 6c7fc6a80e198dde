// Activity entries keep their headline (one sentence) and their detail (the full account) apart, where the detail's
// first line used to be the headline; and the actions say organisation, not tenant (at UiPath a tenant is a smaller
// thing inside an organisation): tenant.add is organisation.add from here on.
import type { Migration } from './index';

/** Where the detail's first line ends, as SQL: 0 when it has one line only. */
const lineBreak = 'instr(detail, char(10))';

export const activityHeadline: Migration = {
  name: '0008_activity_headline',
  sql: `
    ALTER TABLE activity ADD COLUMN headline TEXT NOT NULL DEFAULT '';
    UPDATE activity SET
      headline = CASE WHEN ${lineBreak} > 0 THEN substr(detail, 1, ${lineBreak} - 1) ELSE detail END,
      detail = CASE WHEN ${lineBreak} > 0 THEN substr(detail, ${lineBreak} + 1) ELSE '' END;
    UPDATE activity SET action = 'organisation.' || substr(action, length('tenant.') + 1) WHERE action GLOB 'tenant.*';
  `,
};
