// The renderer's one door to the main process: the contract's operations, exposed by the preload as `window.api`.
// Stores call this module; nothing else in the renderer touches `window.api`.
import type { Api } from '../../preload/api';
import { AppError, type ErrorCode, type Issue } from '../../shared/errors';

declare global {
  interface Window {
    api: Api;
  }
}

export const api: Api = window.api;

const ERROR_CODES: readonly ErrorCode[] = [
  'invalid_input',
  'not_found',
  'unauthorized',
  'forbidden',
  'rate_limited',
  'tenant_unreachable',
  'keychain_unavailable',
  'server_error',
  'internal',
];

/** A line of AppError.invalid's message: `field: message`. */
const ISSUE_LINE = /^([A-Za-z][\w.]*): (.+)$/;

/**
 * What a failed operation means to the page, whatever the error went through.
 * Electron's contextBridge keeps only an Error's message when it crosses into the page, so when `code` and
 * `issues` are gone they are read back from the message, which AppError.invalid writes as `field: message` lines.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
    issues?: unknown;
  };
  const message = typeof shape.message === 'string' ? shape.message : String(error);
  const code = ERROR_CODES.find((c) => c === shape.code);
  if (Array.isArray(shape.issues)) return new AppError(code ?? 'invalid_input', message, shape.issues as Issue[]);
  if (code) return new AppError(code, message);

  const lines = message.split('\n');
  const issues = lines.map((line) => ISSUE_LINE.exec(line)).filter((m): m is RegExpExecArray => m !== null);
  if (issues.length > 0 && issues.length === lines.length)
    return AppError.invalid(issues.map((m) => ({ field: m[1] ?? '', message: m[2] ?? '' })));
  return new AppError('internal', message);
}
