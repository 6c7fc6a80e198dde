// The built bundles' sizes, as `npm run build` prints them and `npm run bench` holds them to their targets: the
// renderer's JavaScript gzipped (all chunks, and what its first view loads), the preload, and the CLI's entry.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = resolve(import.meta.dirname, '..');

const gzipped = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

/** The chunks a module imports statically (`from"./x.js"`, `import"./x.js"`), minified or not. */
function staticImports(file) {
  const code = readFileSync(file, 'utf8');
  return [...code.matchAll(/(?:from|import)\s*["']\.\/([^"']+\.js)["']/g)].map((m) => m[1]);
}

/** Sizes in bytes; `firstView` is the entry, its modulepreloads and their static imports (the list's view included). */
export function bundleSizes(dir = root) {
  const assets = join(dir, 'out/renderer/assets');
  const chunks = readdirSync(assets).filter((name) => name.endsWith('.js'));
  const html = readFileSync(join(dir, 'out/renderer/index.html'), 'utf8');
  const first = new Set();
  const pending = [...html.matchAll(/(?:src|href)="\.\/assets\/([^"]+\.js)"/g)].map((m) => m[1]);
  while (pending.length > 0) {
    const name = pending.pop();
    if (first.has(name)) continue;
    first.add(name);
    pending.push(...staticImports(join(assets, name)));
  }
  const sizes = Object.fromEntries(chunks.map((name) => [name, gzipped(join(assets, name))]));
  const sum = (names) => names.reduce((total, name) => total + (sizes[name] ?? 0), 0);
  const preload = join(dir, 'out/preload/index.cjs');
  const cli = join(dir, 'out/cli/index.js');
  return {
    rendererGzip: sum(chunks),
    firstViewGzip: sum([...first]),
    chunks: sizes,
    firstViewChunks: [...first],
    preload: statSync(preload).size,
    preloadGzip: gzipped(preload),
    cliEntry: existsSync(cli) ? statSync(cli).size : null,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = bundleSizes();
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log('bundle sizes');
  for (const [name, size] of Object.entries(sizes.chunks).sort((a, b) => b[1] - a[1]))
    console.log(
      `  renderer ${name.padEnd(44)} ${kb(size).padStart(9)} gzip${sizes.firstViewChunks.includes(name) ? '  (first view)' : ''}`,
    );
  console.log(`  renderer, all chunks ${kb(sizes.rendererGzip).padStart(41)} gzip (target ≤ 300 KB)`);
  console.log(`  renderer, first view ${kb(sizes.firstViewGzip).padStart(41)} gzip (target ≤ 220 KB)`);
  console.log(`  preload ${kb(sizes.preload).padStart(54)} (target ≤ 8 KB)`);
  if (sizes.cliEntry !== null) console.log(`  cli entry ${kb(sizes.cliEntry).padStart(52)}`);
}
