// The renderer's one door to the main process: the contract's operations, exposed by the preload as `window.api`.
// Stores call this module; nothing else in the renderer touches `window.api`.
import { unwrapApi, type BridgeApi } from '../../shared/api';

export { toAppError } from '../../shared/errors';

declare global {
  interface Window {
    api: BridgeApi;
  }
}

export const api = unwrapApi(window.api);
