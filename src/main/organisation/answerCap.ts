// The most an organisation's answer may hold: a list of 10 000 applications is about 10 MB, so 64 MB is generous, and
// an answer past it (an endless or huge list from a hostile or broken server) is a sentence, never held whole.
import { AppError } from '../../shared/errors';

/** The largest answer read from an organisation, in bytes. */
export const ANSWER_MAX_BYTES = 64 * 1024 * 1024;

/** An answer that went past ANSWER_MAX_BYTES: the reading stopped there. */
export class AnswerTooLarge extends AppError {
  constructor(inWords: string, limit: number) {
    super(
      'server_error',
      `${inWords} answered with more than ${Math.round(limit / (1024 * 1024))} MB, more than OAuth Desk reads from an organisation; the reading stopped there and nothing of it was kept.`,
    );
  }
}

/**
 * `response` with a body that fails with AnswerTooLarge once more than `limit` bytes came (or were announced); the
 * sentence names the organisation as `inWords`.
 */
export function capAnswer(response: Response, inWords: string, limit = ANSWER_MAX_BYTES): Response {
  if (response.body === null || [204, 205, 304].includes(response.status)) return response;
  const announced = Number(response.headers.get('content-length') ?? '0');
  if (announced > limit) {
    void response.body.cancel().catch(() => undefined);
    throw new AnswerTooLarge(inWords, limit);
  }
  let seen = 0;
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(new AnswerTooLarge(inWords, limit));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
}
