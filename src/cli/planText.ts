// A plan (src/shared/plan.ts) as the CLI prints it, whichever preview it comes from (apps update and copy, import,
// scope-sets apply): one line per application (its action, name and App ID, what changes), the rules' messages
// indented below it, and the counts naming the organisation. Words from src/shared/changes.ts, as the window's.
import { describeChanges, describePlanCounts, hasChanges } from '../shared/changes';
import { describeFederatedChange } from '../shared/federated';
import type { Plan, PlanEntry } from '../shared/plan';
import { appName } from './format';

/** One application of a plan: `update    Invoice portal (c4e8…): Redirect URL: … → …`, then its refusals. */
export function planEntryText(entry: PlanEntry): string {
  const id = entry.app.id ? ` (${entry.app.id})` : '';
  const lines = [
    ...(hasChanges(entry.changes) ? describeChanges(entry.changes) : []),
    ...(entry.federated ?? []).map(describeFederatedChange),
  ];
  const changes = lines.length > 0 ? `: ${lines.join('; ')}` : '';
  const refusals = entry.refusals.map((message) => `\n    ${message}`).join('');
  return `${entry.action.padEnd(9)} ${appName(entry.app)}${id}${changes}${refusals}`;
}

export function planText(plan: Plan): string {
  return [...plan.entries.map(planEntryText), describePlanCounts(plan.summary)].join('\n');
}
