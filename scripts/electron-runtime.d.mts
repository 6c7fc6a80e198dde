// Types of electron-runtime.mjs, for the TypeScript that uses it (the Electron launch spec).
export function electronPackageDir(): string;
export function electronExecutable(env?: Readonly<Record<string, string | undefined>>): string | null;
