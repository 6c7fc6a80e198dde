// The Identity Server contract (schemas/uipath-external-applications.openapi.yaml) as a checker of HTTP exchanges: a
// test records what a client sent and what it was answered (recordingFetch), then asks which of those exchanges the
// description does not allow (validateExchange). openapi-backend finds the operation and validates bodies and headers;
// what it lets pass silently — an undescribed status, a body where none is described, a missing body, the wrong
// content type — is checked here.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import addFormats from 'ajv-formats';
import { OpenAPIBackend, type Operation } from 'openapi-backend';
import { parse } from 'yaml';

/** The contract's file. */
export const CONTRACT_PATH = fileURLToPath(
  new URL('../../schemas/uipath-external-applications.openapi.yaml', import.meta.url),
);

/** One request and its answer, as a client saw them. */
export interface Exchange {
  method: string;
  /** The whole URL; only its path is matched against the description. */
  url: string;
  /** The request body: parsed JSON, a form's fields as an object, or the text; undefined when none was sent. */
  requestBody?: unknown;
  /** The request's Content-Type (parameters such as charset are ignored). */
  requestContentType?: string;
  status: number;
  /** The answer's body: parsed JSON, or the text when it is not JSON; undefined when the answer has no body. */
  responseBody: unknown;
  /** The answer's body as sent, when known: tells an empty body from `null` and JSON from text. */
  responseText?: string;
  /** Header names in lower case. */
  responseHeaders: Record<string, string>;
}

export interface Contract {
  /** The openapi-backend instance on the description, initialised. */
  readonly api: OpenAPIBackend;
  /**
   * What the description does not allow in `exchange`, one sentence each; empty when it allows all of it.
   * `answerOnly`: the answer alone is judged (a server's test sends invalid requests on purpose).
   */
  validateExchange(exchange: Exchange, options?: { answerOnly?: boolean }): string[];
  /** validateExchange over many exchanges. */
  validateAll(exchanges: readonly Exchange[]): string[];
}

/** The media type of a Content-Type value: `application/json; charset=utf-8` → `application/json`. */
function mediaType(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === '' ? undefined : type;
}

/** The response the description gives `status`: its own, its class's (`4XX`) or the default; null when none. */
function describedResponse(operation: Operation, status: number) {
  const responses = operation.responses ?? {};
  const found = responses[String(status)] ?? responses[`${Math.floor(status / 100)}XX`] ?? responses.default;
  // init() dereferenced the document: every response is an object, never a $ref.
  return (found as { content?: Record<string, unknown> } | undefined) ?? null;
}

/** ajv's errors as sentences: `/secrets/0/id must be integer`. */
function sentences(errors: { instancePath?: string; message?: string }[] | null | undefined, where: string) {
  return (errors ?? []).map((e) => `${where}${e.instancePath ?? ''} ${e.message ?? 'is not allowed'}`);
}

/** The checks of one exchange against a loaded description. */
export function validateExchange(
  api: OpenAPIBackend,
  exchange: Exchange,
  options: { answerOnly?: boolean } = {},
): string[] {
  const url = new URL(exchange.url);
  const method = exchange.method.toUpperCase();
  const name = `${method} ${url.pathname} → ${exchange.status}`;
  const operation = api.matchOperation({ method, path: url.pathname, headers: {}, query: url.search });
  if (!operation) return [`${method} ${url.pathname}: no operation of the description has this method and path`];
  const violations: string[] = [];

  // The request: its content type, then what openapi-backend checks (path parameters, the body).
  const declared = Object.keys(
    operation.requestBody && 'content' in operation.requestBody ? operation.requestBody.content : {},
  );
  const sent = exchange.requestBody !== undefined;
  const sentType = mediaType(exchange.requestContentType);
  if (sent && declared.length === 0) violations.push(`${name}: a request body was sent; the operation takes none`);
  else if (sent && (!sentType || !declared.includes(sentType)))
    violations.push(
      `${name}: the request body is ${sentType ?? 'untyped'}; the operation takes ${declared.join(', ')}`,
    );
  const request = api.validator.validateRequest(
    {
      method,
      path: url.pathname,
      query: url.search,
      headers: sentType ? { 'content-type': sentType } : {},
      body: exchange.requestBody as never,
    },
    operation,
  );
  violations.push(...sentences(request.errors, `${name}: request`));
  // A server's test sends invalid requests on purpose: only what it answered is judged then.
  if (options.answerOnly) violations.splice(0);

  // The answer: a described status, a body exactly when one is described, of a described type and shape.
  const response = describedResponse(operation, exchange.status);
  if (!response) return [...violations, `${name}: the description gives this operation no ${exchange.status} answer`];
  const text = exchange.responseText;
  const empty = text === undefined ? exchange.responseBody === undefined : text.length === 0;
  const types = Object.keys(response.content ?? {});
  if (types.length === 0) {
    if (!empty) violations.push(`${name}: the answer has a body; the description gives this answer no content`);
  } else if (empty) {
    violations.push(`${name}: the answer has no body; the description gives it ${types.join(', ')}`);
  } else {
    const got = mediaType(exchange.responseHeaders['content-type']);
    if (!got || !types.includes(got))
      violations.push(`${name}: the answer is ${got ?? 'untyped'}; the description gives it ${types.join(', ')}`);
    let body = exchange.responseBody;
    if (text !== undefined) {
      try {
        body = JSON.parse(text);
      } catch {
        violations.push(`${name}: the answer's body is not JSON`);
        return violations;
      }
    }
    const result = api.validator.validateResponse(body, operation, exchange.status);
    violations.push(...sentences(result.errors, `${name}: response body`));
  }
  const headers = api.validator.validateResponseHeaders(exchange.responseHeaders, operation, {
    statusCode: exchange.status,
  });
  violations.push(...sentences(headers.errors, `${name}: response`));
  return violations;
}

/** The description loaded into openapi-backend (checked against the OpenAPI 3.0 schema on the way), ready to check. */
export async function loadContract(document = CONTRACT_PATH): Promise<Contract> {
  const definition = parse(readFileSync(document, 'utf8')) as ConstructorParameters<
    typeof OpenAPIBackend
  >[0]['definition'];
  const api = new OpenAPIBackend({
    definition,
    strict: true,
    validate: true,
    customizeAjv: (ajv) => {
      addFormats(ajv);
      // A JSON number past 2^53 reaches the check already rounded (9223372036854775807 parses as 2^63): what can be
      // checked of an int64 is that it is an integer. openapi-backend's own int64 refuses 2^63, ajv-formats' does not.
      ajv.addFormat('int64', { type: 'number', validate: Number.isInteger });
      return ajv;
    },
  });
  await api.init();
  return {
    api,
    validateExchange: (exchange, options) => validateExchange(api, exchange, options),
    validateAll: (exchanges) => exchanges.flatMap((exchange) => validateExchange(api, exchange)),
  };
}

/** A request body as the contract reads it: JSON parsed, a form's fields as an object, anything else as text. */
function readRequestBody(text: string, contentType: string | undefined): unknown {
  if (contentType === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
  if (contentType === 'application/json' || contentType?.endsWith('+json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** What a request sends, read from a copy so the request itself goes on untouched. */
async function requestOf(input: RequestInfo | URL, init: RequestInit | undefined) {
  const streamed = init?.body instanceof ReadableStream;
  // A stream can be read once: its body is left unrecorded rather than taken from the request.
  const copy = new Request(input instanceof Request ? input.clone() : input, streamed ? { ...init, body: null } : init);
  const contentType = mediaType(copy.headers.get('content-type') ?? undefined);
  const text = copy.body ? await copy.text() : undefined;
  return {
    method: copy.method,
    url: copy.url,
    requestContentType: contentType,
    requestBody: streamed
      ? '<a stream>'
      : text === undefined || text === ''
        ? undefined
        : readRequestBody(text, contentType),
  };
}

/**
 * A fetch that records every exchange it carries: pass `fetch` as a client's fetch option, then check `exchanges`. The
 * answer's body is read from a clone before the answer is handed on, so an exchange is whole once its call returns.
 * A request that got no answer (refused, aborted) is not recorded.
 */
export function recordingFetch(inner: typeof fetch = fetch): { fetch: typeof fetch; exchanges: Exchange[] } {
  const exchanges: Exchange[] = [];
  const recording: typeof fetch = async (input, init) => {
    const request = await requestOf(input, init);
    const response = await inner(input, init);
    let text: string | undefined;
    try {
      text = await response.clone().text();
    } catch {
      // The body broke off (the caller aborted it): what arrived is not known whole.
      text = undefined;
    }
    let body: unknown = undefined;
    if (text) {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        body = text;
      }
    }
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      responseHeaders[key.toLowerCase()] = value;
    });
    exchanges.push({
      ...request,
      status: response.status,
      responseBody: body,
      ...(text === undefined ? {} : { responseText: text }),
      responseHeaders,
    });
    return response;
  };
  return { fetch: recording, exchanges };
}
