// How deep an input may be nested before any door reads it: every door (the dispatch, the management API) asks
// this first, so that a hostile 20 000-deep document is a refusal naming its field, never a RangeError.

/** No operation's input is nested deeper than a few levels; this leaves room and stops any recursion far from the stack's end. */
export const MAX_INPUT_DEPTH = 64;

/**
 * The top-level field of `raw` that is nested deeper than MAX_INPUT_DEPTH, or null. Walked with a stack of its own,
 * never by recursion, so a 20 000-deep input is an answer, not a RangeError.
 */
export function tooDeepField(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null) return null;
  for (const [field, value] of Object.entries(raw)) {
    const stack: [unknown, number][] = [[value, 1]];
    for (let next = stack.pop(); next; next = stack.pop()) {
      const [node, depth] = next;
      if (typeof node !== 'object' || node === null) continue;
      if (depth > MAX_INPUT_DEPTH) return field;
      for (const child of Object.values(node)) stack.push([child, depth + 1]);
    }
  }
  return null;
}
