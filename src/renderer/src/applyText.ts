// What applying a scope set says in words: the estimate within the organisation's rate limits (said before it starts),
// the mode, and each application's outcome once applied (its preview is a plan: PlanPreview.vue). Pure, so the
// sentences are unit-tested.
import type { ApplyEstimate, ApplyMode, ApplyOutcome } from '../../shared/model';

export const MODE_LABELS: Record<ApplyMode, string> = {
  add: 'Add the set’s scopes',
  remove: 'Remove the set’s scopes',
  replace: 'Replace the application’s scopes with the set’s',
};

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A duration as people say it: seconds under two minutes, else minutes, else hours and minutes. */
export function describeDuration(seconds: number): string {
  if (seconds < 120) return plural(Math.max(1, Math.round(seconds)), 'second');
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? plural(hours, 'hour') : `${plural(hours, 'hour')} ${plural(rest, 'minute')}`;
}

function windowText(seconds: number): string {
  return seconds % 60 === 0 ? plural(seconds / 60, 'minute') : plural(seconds, 'second');
}

/**
 * The estimate before Apply: how many applications are written, and how long the organisation's rate limits make it
 * take ("Remote UiPath allows 160 PUTs per 5 minutes, so 1 000 applications take about 31 minutes").
 */
export function describeEstimate(estimate: ApplyEstimate): string {
  const { writes, limits, limitedBy, seconds } = estimate;
  if (writes === 0) return 'Nothing to write: every chosen application already has what the set gives it.';
  const whose = estimate.limitsOf === 'uipath' ? 'UiPath allows' : 'The embedded server allows';
  const allowance = `${whose} ${limits.put} PUTs and ${limits.get} GETs per ${windowText(limits.windowSeconds)}`;
  const work = `${plural(writes, 'application')} to write (one GET and one PUT each)`;
  if (limitedBy === null) return `${work}. ${allowance}, so this goes at once: a few seconds.`;
  return `${work}. ${allowance}, so this takes about ${describeDuration(seconds)}; the app waits when the limit is reached.`;
}

export const APPLY_OUTCOMES: Record<
  ApplyOutcome,
  { label: string; type: 'success' | 'default' | 'error' | 'warning' }
> = {
  applied: { label: 'Applied', type: 'success' },
  unchanged: { label: 'Unchanged', type: 'default' },
  conflict: { label: 'Conflict', type: 'warning' },
  refused: { label: 'Refused', type: 'error' },
  failed: { label: 'Failed', type: 'error' },
  notRun: { label: 'Not run', type: 'default' },
};
