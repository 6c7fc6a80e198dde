// How a scope set's coverage reads in the Scope Sets view: which organisation holds every scope, and what the others
// lack, by name ("Acme: lacks OR.Legacy.Scope"), never only a count.
import type { ScopeSetCoverage } from '../../shared/model';

/** How many lacking scopes are named before the rest is counted ("and 2 more"); all are named on hover. */
export const LACKS_NAMED = 2;

/** The words of one organisation's coverage of a set. */
export function coverageWords(c: Pick<ScopeSetCoverage, 'displayName' | 'cached' | 'missing'>): string {
  if (!c.cached) return `${c.displayName}: not synced`;
  if (c.missing.length === 0) return `✓ ${c.displayName}: holds all`;
  const named = c.missing.slice(0, LACKS_NAMED).map((s) => s.name);
  const rest = c.missing.length - named.length;
  return `${c.displayName}: lacks ${named.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
}

/** Every lacking scope with its type, for the hover. */
export function lacksInFull(c: Pick<ScopeSetCoverage, 'missing'>): string {
  return `Not in its catalogue: ${c.missing.map((s) => `${s.name} (${s.type})`).join(', ')}`;
}
