#!/usr/bin/env node
// oauth-desk: the CLI of OAuth Desk. Runs the JavaScript built into out/cli (`npm run build`), so a command starts
// without compiling TypeScript. In a source checkout whose build is missing or older than the sources, it runs the
// sources through tsx instead, so an edit is never hidden behind a stale build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const built = join(root, 'out', 'cli', 'index.js');
const sources = join(root, 'src', 'cli', 'index.ts');

/** Newest modification time under the folders the CLI is built from (about a hundred files: a millisecond). */
function newestSource() {
  let newest = statSync(join(root, 'resources', 'catalogue.json')).mtimeMs;
  for (const folder of ['cli', 'main', 'node', 'shared', 'identity-server'])
    for (const entry of readdirSync(join(root, 'src', folder), { recursive: true, withFileTypes: true }))
      if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  return newest;
}

const fresh = existsSync(built) && (!existsSync(sources) || statSync(built).mtimeMs >= newestSource());
if (fresh) {
  await import('../out/cli/index.js');
} else {
  // tsx's own cache sits in the shared temporary folder, where another user could plant code: not used.
  process.env.TSX_DISABLE_CACHE = '1';
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/index.ts');
}
