// A JSON array answer read as its chunks arrive, so that a list of 10 000 applications is never held whole: each
// element is checked by its schema as soon as it is complete and handed on with the others of its batch.
import { TokenParser, TokenType, Tokenizer } from '@streamparser/json';
import type { z } from 'zod';
import { AppError } from '../../shared/errors';
import { losslessNumber } from './wire';

/** A tokenizer that keeps an integer past 2^53 (an int64 secret ID) as its digits instead of rounding it. */
class LosslessTokenizer extends Tokenizer {
  override parseNumber(numberStr: string): number {
    // A string stands in for the number; the schemas of the fields that may hold one accept it.
    return losslessNumber(numberStr) as number;
  }
}

/** The tokenizer and token parser chained, as @streamparser/json's JSONParser does, with the lossless tokenizer. */
function losslessParser(opts: ConstructorParameters<typeof TokenParser>[0]) {
  const tokenizer = new LosslessTokenizer();
  const tokens = new TokenParser(opts);
  tokenizer.onToken = (token) => tokens.write(token);
  tokenizer.onEnd = () => {
    if (!tokens.isEnded) tokens.end();
  };
  tokens.onError = (error) => tokenizer.error(error);
  tokens.onEnd = () => {
    if (!tokenizer.isEnded) tokenizer.end();
  };
  return { tokenizer, tokens };
}

/** The refusal of an answer whose shape is not the one expected, at `path` ([] for its top level). */
export function unexpectedShape(what: string, path: readonly PropertyKey[]): AppError {
  const where = path.length === 0 ? 'its top level' : path.map(String).join('.');
  return new AppError('server_error', `The organisation answered with an unexpected shape for ${what} (at ${where}).`);
}

interface ReadState<T> {
  /** What stopped the reading: a wrong shape, or what `take` threw. */
  failure: Error | null;
  /** Whether the first token came (it must open the array). */
  started: boolean;
  count: number;
  batch: T[];
}

export class ArrayAnswerReader<T> {
  // `$.*`: each element of the top-level array once complete; keepStack false: none is kept once handed over.
  private readonly parser = losslessParser({ paths: ['$.*'], keepStack: false });
  private readonly state: ReadState<T> = { failure: null, started: false, count: 0, batch: [] };

  /**
   * @param item the schema each element must have
   * @param what the answer, as messages name it ("the list of applications")
   * @param take given each batch of checked elements, in order; what it throws stops the reading
   * @param notJson the refusal of an answer that is not JSON
   */
  constructor(
    item: z.ZodType<T>,
    what: string,
    private readonly take: (batch: T[]) => void,
    private readonly notJson: () => Error,
    private readonly batchSize = 25,
  ) {
    const state = this.state;
    const { tokenizer, tokens } = this.parser;
    tokenizer.onToken = (parsed) => {
      if (!state.started) {
        state.started = true;
        if (parsed.token !== TokenType.LEFT_BRACKET) state.failure = unexpectedShape(what, []);
      }
      tokens.write(parsed);
    };
    tokens.onValue = ({ value, key }) => {
      if (state.failure !== null) return;
      const parsed = item.safeParse(value);
      if (!parsed.success) {
        state.failure = unexpectedShape(what, [key ?? '', ...(parsed.error.issues[0]?.path ?? [])]);
        return;
      }
      state.batch.push(parsed.data);
      state.count++;
      if (state.batch.length >= this.batchSize) this.handOver();
    };
  }

  /** The next chunk of the answer; throws the answer's refusal as soon as one is known. */
  write(chunk: Uint8Array): void {
    try {
      this.parser.tokenizer.write(chunk);
    } catch {
      throw this.notJson();
    }
    this.throwFailure();
  }

  /** The answer is complete: hands on the last batch and answers how many elements there were. */
  end(): number {
    try {
      if (!this.parser.tokenizer.isEnded) this.parser.tokenizer.end();
    } catch {
      throw this.notJson();
    }
    if (!this.state.started) throw this.notJson();
    this.throwFailure();
    if (this.state.batch.length > 0) this.handOver();
    this.throwFailure();
    return this.state.count;
  }

  private handOver(): void {
    const full = this.state.batch;
    this.state.batch = [];
    try {
      this.take(full);
    } catch (error) {
      this.state.failure = error instanceof Error ? error : new Error(String(error));
    }
  }

  private throwFailure(): void {
    if (this.state.failure !== null) throw this.state.failure;
  }
}

/**
 * A JSON array answer read as it arrives: its elements checked, and handed to `take` in batches. `failed` turns an
 * answer broken off under the reading into the refusal the caller gives.
 */
export async function readArrayAnswer<T>(
  response: Response,
  item: z.ZodType<T>,
  what: string,
  take: (batch: T[]) => void,
  failed: (error: unknown) => Error,
  batchSize = 25,
): Promise<number> {
  const notJson = () =>
    new AppError('server_error', `The organisation answered ${response.status} with something that is not JSON.`);
  if (response.body === null) throw notJson();
  const reader = new ArrayAnswerReader(item, what, take, notJson, batchSize);
  const chunks = response.body.getReader();
  let finished = false;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await chunks.read();
      } catch (error) {
        throw failed(error);
      }
      if (next.done) break;
      reader.write(next.value);
    }
    finished = true;
    return reader.end();
  } finally {
    // An answer refused before its end (a wrong shape, what `take` threw) is not downloaded to the end.
    if (!finished) await chunks.cancel().catch(() => undefined);
    chunks.releaseLock();
  }
}
