// What the fuzz tests throw at every door: hostile values (unicode, control characters, huge strings, wrong types,
// prototype keys, extra fields) mixed with plausible ones, shaped after a zod schema's field names.
import fc from 'fast-check';
import type { z } from 'zod';

/** A few large strings, built once: generating megabytes per case would make the runs slow, not more hostile. */
const HUGE = [
  'A'.repeat(1_100_000),
  '\u0000'.repeat(70_000),
  '😀'.repeat(40_000),
  `${'\u202e'.repeat(5000)}evil`,
  'x\r\ny'.repeat(20_000),
];

/** Names JavaScript treats specially on an object: a careless merge or lookup turns them into prototype pollution. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

const controlText = fc.string({
  unit: fc
    .oneof(fc.integer({ min: 0, max: 0x1f }), fc.constantFrom(0x7f, 0x85, 0x2028, 0x2029, 0xfeff))
    .map((c) => String.fromCharCode(c)),
  maxLength: 20,
});

/** Text as an attacker types it: any code point, lone surrogates, controls, markup, paths and the huge ones. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('\ud800', '\udfff', 'a', '\u0301', '\u200b'), maxLength: 10 }),
  controlText,
  fc.tuple(fc.string({ maxLength: 10 }), controlText).map(([a, b]) => a + b + a),
  fc.constantFrom(
    '',
    ' ',
    '\t\n',
    'local',
    '../../../../etc/passwd',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    '${process.env.HOME}',
    'javascript:alert(1)',
    'http://127.0.0.1:1/callback',
    'https://attacker.example.com/cb',
    'NaN',
    '[object Object]',
    ...PROTOTYPE_KEYS,
  ),
  fc.constantFrom(...HUGE),
);

/** Any value of the wrong kind for a field: numbers at their edges, booleans, null, lists, objects, text. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileText },
  fc.double(),
  fc.constantFrom(0, -1, 1.5, Number.MAX_SAFE_INTEGER + 2, Number.NaN, Infinity, -0, 1e308),
  fc.boolean(),
  fc.constantFrom(null, undefined),
  fc.array(hostileText, { maxLength: 4 }),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 3 }),
  fc.anything({ maxDepth: 2, withNullPrototype: true, withBigInt: false }),
  fc.constantFrom(...PROTOTYPE_KEYS).map((key) => objectWithOwnKey(key, { polluted: true })),
);

/** JSON of a value, or `fallback` for what JSON cannot say (undefined); the fuzz tests' failure messages use it. */
export function jsonText(value: unknown, fallback = 'undefined'): string {
  // JSON.stringify answers undefined for undefined, though its type says string.
  const text = JSON.stringify(value) as string | undefined;
  return typeof text === 'string' ? text : fallback;
}

/** An object with `key` as an own property, even `__proto__` (as JSON.parse makes it, unlike an object literal). */
export function objectWithOwnKey(key: string, value: unknown): Record<string, unknown> {
  return JSON.parse(`{${JSON.stringify(key)}: ${jsonText(value, 'null')}}`) as Record<string, unknown>;
}

/** Every field name a zod schema mentions, nested objects, unions and wrappers included. */
export function fieldNamesOf(schema: z.ZodType): string[] {
  const names = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const def = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return;
    const shape = def.shape as Record<string, unknown> | undefined;
    if (shape)
      for (const [key, child] of Object.entries(shape)) {
        names.add(key);
        walk(child);
      }
    for (const key of ['innerType', 'in', 'out', 'element', 'left', 'right', 'schema']) walk(def[key]);
    for (const option of (def.options as unknown[] | undefined) ?? []) walk(option);
  };
  walk(schema);
  return [...names];
}

/**
 * An input shaped like the schema's: some of its fields with a plausible value (from `plausible`) or a hostile one,
 * nested objects made of the same names, plus at times an unknown field or a prototype key; or no object at all.
 */
export function hostileInputFor(
  schema: z.ZodType,
  plausible: Readonly<Record<string, readonly unknown[]>>,
): fc.Arbitrary<unknown> {
  const names = fieldNamesOf(schema);
  const valueFor = (name: string): fc.Arbitrary<unknown> => {
    const known = Object.hasOwn(plausible, name) ? (plausible[name] ?? []) : [];
    const nested = fc.dictionary(fc.constantFrom(...(names.length > 0 ? names : ['x'])), hostileValue, {
      maxKeys: 3,
    });
    return known.length > 0
      ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, hostileValue, nested)
      : fc.oneof({ weight: 3, arbitrary: hostileValue }, nested);
  };
  const shaped =
    names.length === 0
      ? fc.constant<Record<string, unknown>>({})
      : fc.record(Object.fromEntries(names.map((name) => [name, valueFor(name)])), { requiredKeys: [] });
  const extra = fc.oneof(
    fc.constant(null),
    fc.tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), hostileText), hostileValue),
  );
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(shaped, extra).map(([fields, more]) => withExtra(fields, more)) },
    { weight: 1, arbitrary: hostileValue },
  );
}

function withExtra(fields: Record<string, unknown>, more: [string, unknown] | null): Record<string, unknown> {
  if (!more) return fields;
  const [key, value] = more;
  return { ...fields, ...objectWithOwnKey(key, value ?? null) };
}
