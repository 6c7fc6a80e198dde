// The page's `window.api` in the e2e tests: the same createApi the preload uses, over a binding to the real
// dispatch in the test process instead of Electron IPC. Bundled as a classic script and added before the page loads.
import { createApi, type BridgeApi, type Invoke } from '../../src/preload/api';

// Typed through globalThis: this file is checked with the Node settings, though it runs in the page.
const page = globalThis as unknown as { api: BridgeApi; __oauthDeskInvoke: Invoke };

page.api = createApi((channel, input) => page.__oauthDeskInvoke(channel, input));
