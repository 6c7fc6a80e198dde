// The renderer's one door to the main process: the contract's operations, exposed by the preload as `window.api`.
// Stores call this module; nothing else in the renderer touches `window.api`.
import { unwrapApi, type BridgeApi } from '../../shared/api';
import { AppError } from '../../shared/errors';

declare global {
  interface Window {
    api: BridgeApi;
  }
}

export const api = unwrapApi(window.api);

/** What a failed operation means to the page: an AppError from main as it is, anything else as an internal error. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('internal', error instanceof Error ? error.message : String(error));
}
