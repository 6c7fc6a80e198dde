// Makes `electron` resolve to the recording stand-in (electron.mjs) in this process, for `import` and `require`
// alike, with Node's synchronous module hooks. Loaded by `node --import` in a child process, or required by a test.
import { registerHooks } from 'node:module';

export const STANDIN_URL = new URL('./electron.mjs', import.meta.url).href;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron') return { url: STANDIN_URL, format: 'module', shortCircuit: true };
    return nextResolve(specifier, context);
  },
});

/** Node's own import(), for a caller whose `import()` another loader rewrites (a test runner's). */
export function importNatively(specifier) {
  return import(specifier);
}
