// Where two texts differ, character by character: the runs both share, the expected text's characters the actual one
// lacks and the actual one's extra characters. Pure and zod-free, for the window's "why was my token refused?".

export interface DiffRun {
  kind: 'same' | 'missing' | 'extra';
  text: string;
}

/** Beyond this many cells the middle is shown as one missing run and one extra run (no JWT claim comes near it). */
const MAX_CELLS = 250_000;

function push(runs: DiffRun[], kind: DiffRun['kind'], text: string): void {
  if (text === '') return;
  const last = runs[runs.length - 1];
  if (last?.kind === kind) last.text += text;
  else runs.push({ kind, text });
}

/** The longest common subsequence's lengths of every pair of suffixes of a and b, one flat table. */
function lcsTable(a: readonly string[], b: readonly string[]): (i: number, j: number) => number {
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  const at = (i: number, j: number) => table[i * width + j] ?? 0;
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      table[i * width + j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
  return at;
}

function diffMiddle(runs: DiffRun[], a: readonly string[], b: readonly string[]): void {
  if ((a.length + 1) * (b.length + 1) > MAX_CELLS) {
    push(runs, 'missing', a.join(''));
    push(runs, 'extra', b.join(''));
    return;
  }
  const at = lcsTable(a, b);
  let [i, j] = [0, 0];
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      push(runs, 'same', a[i] ?? '');
      i++;
      j++;
    } else if (at(i + 1, j) >= at(i, j + 1)) push(runs, 'missing', a[i++] ?? '');
    else push(runs, 'extra', b[j++] ?? '');
  }
  push(runs, 'missing', a.slice(i).join(''));
  push(runs, 'extra', b.slice(j).join(''));
}

/** `expected` against `actual`: what both share, what `actual` lacks (missing) and has besides (extra). */
export function diffText(expected: string, actual: string): DiffRun[] {
  // By code point, so a character outside the BMP is never split in two.
  const a = Array.from(expected);
  const b = Array.from(actual);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const runs: DiffRun[] = [];
  push(runs, 'same', a.slice(0, start).join(''));
  diffMiddle(runs, a.slice(start, a.length - end), b.slice(start, b.length - end));
  push(runs, 'same', a.slice(a.length - end).join(''));
  return runs;
}
