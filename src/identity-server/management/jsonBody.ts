// Reads a request's JSON body, with a size limit; the management API's only body format.
import type { Context } from 'koa';
import { ApiProblem } from './problem';

const MAX_BODY_BYTES = 1024 * 1024;

/** The parsed body, or undefined when there is none; malformed or oversized JSON is a 400 / 413. */
export async function readJsonBody(ctx: Context): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // The rest of the body is never read, so the connection cannot carry another request: the client is told so.
    if (size > MAX_BODY_BYTES)
      throw new ApiProblem(413, 'The request body is too large.', undefined, { Connection: 'close' });
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  if (!ctx.is('application/json'))
    throw ApiProblem.invalid([{ field: 'body', message: 'The body must be JSON (Content-Type: application/json).' }]);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw ApiProblem.invalid([{ field: 'body', message: 'The body is not valid JSON.' }]);
  }
}
