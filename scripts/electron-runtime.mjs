// Where the Electron runtime lives on this machine, found exactly as the electron package's own index.js finds it,
// but without its side effect: requiring `electron` from Node starts a download when the runtime is missing.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(join(import.meta.dirname, '..', 'package.json'));

/** The folder of the installed electron npm package (install.js, path.txt, dist/). */
export function electronPackageDir() {
  return dirname(require.resolve('electron/package.json'));
}

/**
 * The Electron executable, or null when it is not on disk. `path.txt` (written by the package's install.js once it
 * has unpacked the runtime) names the executable inside `dist/`, or inside ELECTRON_OVERRIDE_DIST_PATH when set.
 * Electron 45's package has no postinstall: the runtime is downloaded on first use.
 */
export function electronExecutable(env = process.env) {
  const packageDir = electronPackageDir();
  const pathFile = join(packageDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const full = join(override, executable || 'electron');
    return existsSync(full) ? full : null;
  }
  if (!executable) return null;
  const full = join(packageDir, 'dist', executable);
  return existsSync(full) ? full : null;
}
