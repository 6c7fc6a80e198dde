// Types of hooks.mjs, for the test that loads the built main process through it.
export const STANDIN_URL: string;
export function importNatively(specifier: string): Promise<unknown>;
