// The organisation's answers as the client reads them: JSON kept lossless, a refusal as the sentence that says why, a
// request that got no answer as what the admin should know.
import { z } from 'zod';
import { AppError, type Issue } from '../../shared/errors';
import { wordsOfCode } from '../../shared/errorCodes';
import { unexpectedShape } from './arrayAnswer';
import { refusedForScope, type ScopeNeed } from './scopes';
import type { ExternalClient, SecretInfo } from '../../shared/model';
import type { SecretBearingAnswer } from './requests';
import { ExternalClientDto, SecretDto, externalClientOf, parseJsonLosslessly, secretIdOf, secretInfoOf } from './wire';

const ErrorBody = z.object({
  title: z.string().optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
  errors: z.record(z.string(), z.array(z.string())).optional(),
});

/** Whether fetch failed because the connection was reset or closed under the request (not refused, not timed out). */
export function wasReset(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE';
}

/** Why a request got no answer, as a refusal naming the organisation's address. */
export function unreachableOf(error: unknown, at: { baseUrl: string; timeoutMs: number }): Unreachable {
  const cause = (error as { cause?: { code?: string } } | null)?.cause;
  const why =
    error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
      ? `no answer within ${Math.round(at.timeoutMs / 1000)} s`
      : cause?.code === 'ECONNREFUSED'
        ? 'connection refused (is its Identity Server running?)'
        : cause?.code === 'ENOTFOUND'
          ? 'host not found'
          : cause?.code
            ? wordsOfCode(cause.code)
            : error instanceof Error
              ? error.message
              : 'network error';
  return new Unreachable(why, `Cannot reach ${at.baseUrl}: ${why}.`);
}

/** A refused request's answer as the AppError that says why: the organisation's words where it gave any. */
export async function refusalOf(
  response: Response,
  by: { inWords: string; grantee: string; notFound?: string; need?: ScopeNeed },
): Promise<AppError> {
  const { notFound, need } = by;
  const body = await errorBodyOf(response);
  const said = body.error_description ?? body.title ?? body.error;
  switch (response.status) {
    // 400, or 409: a conflict the caller can fix, e.g. a user name already taken; the server names the field.
    case 400:
    case 409:
      return invalidRefusal(body, said ?? `${by.inWords} refused the request as invalid.`);
    case 401:
      return new AppError('unauthorized', `${by.inWords} did not accept the token of ${by.grantee}.`);
    case 403:
      return new AppError(
        'forbidden',
        need
          ? refusedForScope(need, by.inWords, by.grantee)
          : `${sentenceOf(by.grantee)} lacks the scope for this operation in ${by.inWords}.`,
      );
    case 404:
      return new AppError('not_found', notFound ?? said ?? `Not found in ${by.inWords}.`);
    default:
      return response.status >= 500
        ? new ServerFailed(response.status, `${by.inWords} answered ${response.status}${said ? `: ${said}` : ''}.`)
        : new AppError('server_error', `${by.inWords} answered ${response.status}${said ? `: ${said}` : ''}.`);
  }
}

/** A refusal's body as far as it reads as UiPath's error shape; empty otherwise. */
async function errorBodyOf(response: Response): Promise<z.infer<typeof ErrorBody>> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = ErrorBody.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // Not JSON (a proxy's HTML page, say): the status alone tells what happened.
  }
  return {};
}

/** An invalid request's refusal: on the fields the server names, else in its words (`said`). */
function invalidRefusal(body: z.infer<typeof ErrorBody>, said: string): AppError {
  const issues: Issue[] = Object.entries(body.errors ?? {}).flatMap(([field, messages]) =>
    messages.map((message) => ({ field, message })),
  );
  if (issues.length > 0) return AppError.invalid(issues);
  return new AppError('invalid_input', said);
}

/** The organisation did not answer; `why` in a few words, for the messages that say what it means. */
export class Unreachable extends AppError {
  constructor(
    readonly why: string,
    message: string,
  ) {
    super('organisation_unreachable', message);
  }
}

/** The organisation answered 5xx: whether a change it was sent took effect is not known from the answer. */
export class ServerFailed extends AppError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super('server_error', message);
  }
}

/**
 * Whether a write that failed this way may have taken effect all the same: its answer was lost (the connection
 * closed or timed out after the request went out) or the organisation answered 5xx. A refused connection sent nothing.
 */
export function outcomeUnknown(error: unknown): boolean {
  if (error instanceof ServerFailed) return true;
  return error instanceof Unreachable && !error.why.startsWith('connection refused');
}

function sentenceOf(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return parseJsonLosslessly(text);
  } catch {
    throw new AppError('server_error', `The organisation answered ${response.status} with something that is not JSON.`);
  }
}

/** An answer's text as JSON (integers past 2^53 kept exactly), or a refusal saying it is not JSON. */
export function parsedText(text: string): unknown {
  try {
    return parseJsonLosslessly(text);
  } catch {
    throw new AppError('server_error', 'The organisation answered with something that is not JSON.');
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The answer's top-level object, read leniently for what must be kept whatever else it holds; null if it is none. */
export function rawObject(text: string): Record<string, unknown> | null {
  try {
    const value = parseJsonLosslessly(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

export function nonEmptyText(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function parseAnswer<T extends z.ZodType>(schema: T, body: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw unexpectedShape(what, parsed.error.issues[0]?.path ?? []);
}

/** The answer of a create (ExternalClientDto with the secret's value, once): the value and its IDs read first. */
export function createdAppAnswer(text: string, inWords: string): SecretBearingAnswer<ExternalClient> {
  const raw = rawObject(text);
  const firstSecret = Array.isArray(raw?.secrets) ? (raw.secrets as unknown[]).find(isObject) : undefined;
  return {
    secretValue: nonEmptyText(raw?.secret),
    clientId: nonEmptyText(raw?.id),
    secretId: raw?.secrets === undefined ? null : secretIdOf(firstSecret?.id),
    read: () => externalClientOf(parseAnswer(ExternalClientDto, parsedText(text), 'the new application'), inWords),
  };
}

/** The answer of GenerateSecret (SecretDto with the value, once): the value and its ID read first. */
export function generatedSecretAnswer(text: string, clientId: string): SecretBearingAnswer<SecretInfo> {
  const raw = rawObject(text);
  return {
    secretValue: nonEmptyText(raw?.secret),
    clientId,
    secretId: secretIdOf(raw?.id),
    read: () => {
      const info = secretInfoOf(parseAnswer(SecretDto, parsedText(text), 'the new secret'));
      if (!info) throw unexpectedShape('the new secret', ['id']);
      return info;
    },
  };
}
