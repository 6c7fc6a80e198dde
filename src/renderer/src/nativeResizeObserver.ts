// What vueuc (under Naive UI) imports from @juggle/resize-observer: a polyfill it uses only where the browser has no
// ResizeObserver of its own. The page always runs in Chromium, which has one, so electron.vite.config.ts resolves that
// import to this module and the polyfill is not bundled.
export const ResizeObserver = window.ResizeObserver;
