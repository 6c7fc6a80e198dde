// The CLI's build: src/cli compiled once to plain ES modules in out/cli, so `oauth-desk` starts without a TypeScript
// compiler. Each command group and main's context are their own chunks, loaded only by the commands that need them.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = resolve(import.meta.dirname, '..');

export default defineConfig({
  root,
  logLevel: 'warn',
  ssr: {
    // Pure JavaScript packages are bundled in: one file read instead of hundreds of module resolutions per start.
    // Native modules stay outside, loaded from node_modules as npm installed them.
    noExternal: true,
    external: ['better-sqlite3', 'keytar'],
  },
  build: {
    ssr: resolve(root, 'src/cli/index.ts'),
    outDir: resolve(root, 'out/cli'),
    emptyOutDir: true,
    target: 'node24',
    minify: false,
    sourcemap: false,
    rolldownOptions: {
      // koa's deprecation helper (depd) builds functions with eval; it works bundled, the warning is noise here.
      onLog: (level, log, handler) => {
        if (log.code !== 'EVAL') handler(level, log);
      },
      output: { format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});
