// What every slice of the contract is made of: an operation (its input schema and, as a type, its output), and the
// label of each input field, which travels with the field's schema so dispatch names a field in an admin's words.
import { z } from 'zod';

/** An operation: the schema its input must pass, and (as a type only) what it answers. */
export interface Operation<I extends z.ZodType, O> {
  input: I;
  /** Phantom: carries the output type, never read at run time. */
  output?: O;
}

/**
 * An event: what main pushes to its doors unasked (a status, a progress, "this organisation's data changed"). Main is
 * its only sender and the window trusts it, so it is a type only, as an operation's output is.
 */
export interface ContractEvent<P> {
  /** Phantom: carries the payload type, never read at run time. */
  payload?: P;
}

/** `event<Payload>()`: an event of the contract. */
export function event<P>(): ContractEvent<P> {
  return {};
}

/** `op<Output>()(inputSchema)`: an operation of the contract. */
export function op<O>() {
  return <I extends z.ZodType>(input: I): Operation<I, O> => ({ input });
}

/** A field's schema carrying the words an admin sees for it ("App ID"); a refusal of the field names it so. */
export function labelled<T extends z.ZodType>(schema: T, label: string): T {
  return schema.meta({ label });
}

/** A wrapper's inner schema (optional, nullable, default, pipe, …), or null for a schema that wraps none. */
function innerOf(schema: z.ZodType): z.ZodType | null {
  if (
    schema instanceof z.ZodOptional ||
    schema instanceof z.ZodNullable ||
    schema instanceof z.ZodDefault ||
    schema instanceof z.ZodPrefault ||
    schema instanceof z.ZodReadonly ||
    schema instanceof z.ZodCatch ||
    schema instanceof z.ZodNonOptional
  )
    return schema.unwrap() as z.ZodType;
  if (schema instanceof z.ZodPipe) return schema.in as z.ZodType;
  return null;
}

/** The label a schema carries (its own, the one of the schema it was made from, or its inner schema's), if any. */
function labelOf(schema: z.ZodType): string | undefined {
  const label = z.globalRegistry.get(schema)?.label;
  if (typeof label === 'string') return label;
  const inner = innerOf(schema);
  return inner ? labelOf(inner) : undefined;
}

/** A key of a list's element: issues name it as a number, the text check as digits. */
function isIndex(key: PropertyKey): boolean {
  return typeof key === 'number' || (typeof key === 'string' && /^\d+$/.test(key));
}

/** The schema of the field at `key` of `schema` (an object, a union of objects, a list), or null when it has none. */
function fieldOf(schema: z.ZodType, key: PropertyKey): z.ZodType | null {
  const inner = innerOf(schema);
  if (inner) return fieldOf(inner, key);
  if (schema instanceof z.ZodObject) {
    const shape = schema.shape as Record<PropertyKey, z.ZodType>;
    return Object.prototype.hasOwnProperty.call(shape, key) ? (shape[key] ?? null) : null;
  }
  if (schema instanceof z.ZodArray) return isIndex(key) ? (schema.element as z.ZodType) : null;
  if (schema instanceof z.ZodUnion)
    for (const option of schema.options as readonly z.ZodType[]) {
      const found = fieldOf(option, key);
      if (found) return found;
    }
  return null;
}

/**
 * The words for the field at `path` of an operation's input, read from the schemas along the path: the label the
 * field's schema carries, else its field name. A list's element without a label of its own is named as its list
 * (`scopes.0` is "Scopes"); the input itself is "The input".
 */
export function fieldLabel(input: z.ZodType, path: readonly PropertyKey[]): string {
  let schema: z.ZodType | null = input;
  let words = 'The input';
  for (const key of path) {
    schema = schema && fieldOf(schema, key);
    const label = schema && labelOf(schema);
    if (label) words = label;
    else if (!isIndex(key)) words = String(key);
  }
  return words;
}
