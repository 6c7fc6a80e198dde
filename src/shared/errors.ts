// Errors as values with a code, mapped once at each door (IPC envelope, CLI exit code, HTTP status).

export type ErrorCode =
  | 'invalid_input' // the caller sent something the rules refuse; `issues` names the fields
  | 'not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'organisation_unreachable'
  | 'keychain_unavailable'
  | 'server_error'
  | 'internal'
  | 'cancelled'; // the user stopped it (Cancel sign-in): nothing changed, and it is not a failure

/** A problem with one field of the input, in words a person understands. */
export interface Issue {
  field: string;
  message: string;
}

export interface AppErrorShape {
  code: ErrorCode;
  message: string;
  issues?: Issue[];
}

export class AppError extends Error implements AppErrorShape {
  readonly code: ErrorCode;
  readonly issues?: Issue[];

  constructor(code: ErrorCode, message: string, issues?: Issue[]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    if (issues && issues.length > 0) this.issues = issues;
  }

  /** The message is the issues' sentences: people read it as it is, so it carries no field paths (`issues` does). */
  static invalid(issues: Issue[]): AppError {
    const message = issues.map((i) => i.message).join(' ');
    return new AppError('invalid_input', message, issues);
  }

  static from(shape: AppErrorShape): AppError {
    return new AppError(shape.code, shape.message, shape.issues);
  }

  toJSON(): AppErrorShape {
    return { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** What crosses every door: a value, or a typed error. Never a thrown exception. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };

/** What a failed call means to its caller: an AppError as it is, anything else as an internal error. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('internal', error instanceof Error ? error.message : String(error));
}
