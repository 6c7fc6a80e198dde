// The one dispatch behind every door (IPC, CLI, test bridge): validate the input by the contract, call the handler,
// and answer a Result. Errors become values here, once.
import { MAX_INPUT_DEPTH, tooDeepField } from '../shared/inputDepth';
import type { z } from 'zod';
import {
  contract,
  fieldLabel,
  isOperationName,
  takesOrganisation,
  type Contract,
  type InputIn,
  type Operations,
  type OutputIn,
} from '../shared/contract';
import { AppError, isAppError, type Issue, type Result } from '../shared/errors';
import { unwritableCode, unwritableWords } from './workspace/unwritable';

/** The handlers of a table of operations (one domain's slice of the contract, or all of it), one per operation. */
export type HandlersOf<C extends Operations> = {
  -readonly [K in keyof C]: (input: InputIn<C, K>) => Promise<OutputIn<C, K>>;
};
export type Handlers = HandlersOf<Contract>;
export type Dispatch = (operation: string, rawInput: unknown) => Promise<Result<unknown>>;

export interface DispatchOptions {
  /** Where unexpected errors are reported; receives the error's name, message and stack, never the input. */
  logError?: (operation: string, error: unknown) => void;
  /** The organisation an operation works on when its input names none; 'local' (the embedded organisation) by default. */
  currentOrganisation?: () => string;
}

const INTERNAL_MESSAGE = 'Something went wrong inside OAuth Desk. The details are in its log; please try again.';

const KIND_WORDS: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

/** Zod's issues as the app's: the field is the path joined by '.', the message is one a person understands. */
function issuesOf(error: z.ZodError, input: z.ZodType): Issue[] {
  return error.issues.flatMap((issue): Issue[] => {
    const path = issue.path;
    if (issue.code === 'unrecognized_keys')
      // Each unknown key is its own field, so the caller sees exactly what to remove.
      return issue.keys.map((key) => ({
        field: [...path.map(String), shownKey(key)].join('.'),
        message: `${shownKey(key)} is not a field of this operation.`,
      }));
    const field = path.map(String).join('.') || 'input';
    return [{ field, message: plainMessage(issue, fieldLabel(input, path)) }];
  });
}

/** A UTF-16 surrogate standing alone: with the `u` flag a well-formed pair is one code point and does not match. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The first text of the input (a value or a key) that is not well-formed Unicode (a lone surrogate): no schema can
 * say that, and such text breaks what comes after (encodeURIComponent throws, SQLite stores replacement characters).
 */
function illFormedText(value: unknown, path: string[], input: z.ZodType): Issue | null {
  if (typeof value === 'string')
    return !LONE_SURROGATE.test(value)
      ? null
      : {
          field: path.join('.') || 'input',
          message: `${fieldLabel(input, path)} contains a character that is not valid text.`,
        };
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    if (LONE_SURROGATE.test(key))
      return { field: [...path, shownKey(key)].join('.'), message: 'A field name is not valid text.' };
    const found = illFormedText(child, [...path, shownKey(key)], input);
    if (found) return found;
  }
  return null;
}

/** A key as a person can read it: a plain name as it is; an empty, invisible or long one quoted and cut short. */
function shownKey(key: string): string {
  return /^[\w$-]{1,60}$/.test(key) ? key : JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}…` : key);
}

function plainMessage(issue: z.core.$ZodIssue, label: string): string {
  // Messages written in the contract (e.g. 'App ID is required.') are kept; zod's generic ones are reworded.
  const generic = /^(Invalid|Too (small|big))/.test(issue.message);
  if (!generic) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return issue.message.includes('received undefined')
        ? `${label} is required.`
        : `${label} must be ${KIND_WORDS[issue.expected] ?? `a ${issue.expected}`}.`;
    case 'invalid_value':
      return `${label} must be one of: ${issue.values.map((v) => String(v)).join(', ')}.`;
    case 'too_small':
      return issue.origin === 'string' || issue.origin === 'array'
        ? `${label} must not be empty.`
        : `${label} must be at least ${String(issue.minimum)}.`;
    case 'too_big':
      return issue.origin === 'string'
        ? `${label} must be at most ${String(issue.maximum)} characters.`
        : `${label} must be at most ${String(issue.maximum)}.`;
    default:
      return `${label} is not valid.`;
  }
}

function defaultLogError(operation: string, error: unknown): void {
  // Only the error itself: inputs and answers may carry secrets, so they are never logged.
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  console.error(`[oauth-desk] ${operation} failed: ${text}`);
}

export function createDispatch(handlers: Handlers, options: DispatchOptions = {}): Dispatch {
  const logError = options.logError ?? defaultLogError;
  const currentOrganisation = options.currentOrganisation ?? (() => 'local');
  return async (operation, rawInput) => {
    if (!isOperationName(operation))
      return {
        ok: false,
        error: new AppError('invalid_input', `Unknown operation: ${operation}.`, [
          { field: 'operation', message: `Unknown operation: ${operation}.` },
        ]).toJSON(),
      };
    const schema: z.ZodType = contract[operation].input;
    const deep = tooDeepField(rawInput);
    if (deep !== null)
      return {
        ok: false,
        error: AppError.invalid([
          { field: deep, message: `${deep} is nested more than ${MAX_INPUT_DEPTH} levels deep; no valid input is.` },
        ]).toJSON(),
      };
    const broken = illFormedText(rawInput ?? {}, [], schema);
    if (broken) return { ok: false, error: AppError.invalid([broken]).toJSON() };
    const parsed = schema.safeParse(rawInput ?? {});
    if (!parsed.success) return { ok: false, error: AppError.invalid(issuesOf(parsed.error, schema)).toJSON() };
    try {
      const handler = handlers[operation] as (input: unknown) => Promise<unknown>;
      const data = parsed.data as Record<string, unknown>;
      // Resolved once, here, so every door and every handler sees the same organisation.
      const input =
        takesOrganisation(operation) && data.organisation === undefined
          ? { ...data, organisation: currentOrganisation() }
          : data;
      return { ok: true, value: await handler(input) };
    } catch (error) {
      if (isAppError(error)) return { ok: false, error: error.toJSON() };
      // A workspace that cannot take a write (a full disk, a read-only folder) is said in words, not as a fault.
      const unwritable = unwritableCode(error);
      if (unwritable)
        return {
          ok: false,
          error: {
            code: 'server_error',
            message: `OAuth Desk could not save to its data folder: ${unwritableWords(unwritable)}.`,
          },
        };
      logError(operation, error);
      return { ok: false, error: { code: 'internal', message: INTERNAL_MESSAGE } };
    }
  };
}
