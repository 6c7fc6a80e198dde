// Builds what the e2e specs load into Chromium: the renderer, exactly as electron-vite builds it for the app,
// and the bridge that gives the page its `window.api`.
import { resolve } from 'node:path';
import { build as viteBuild, type InlineConfig } from 'vite';
import { RendererConfigFactory, loadConfigFromFile } from 'electron-vite';

export const ROOT = resolve(import.meta.dirname, '../..');
export const RENDERER_DIR = resolve(ROOT, 'out/renderer');
export const BRIDGE_DIR = resolve(ROOT, 'out/e2e');
export const BRIDGE_FILE = resolve(BRIDGE_DIR, 'bridge.js');

/** The renderer section of electron.vite.config.ts, resolved by electron-vite itself (same plugins, base, outDir). */
export async function buildRenderer(): Promise<void> {
  const loaded = await loadConfigFromFile(
    { command: 'build', mode: 'production' },
    resolve(ROOT, 'electron.vite.config.ts'),
    ROOT,
  );
  const renderer = loaded.config.renderer;
  if (!renderer) throw new Error('electron.vite.config.ts has no renderer section.');
  const config = await new RendererConfigFactory(
    renderer,
    { mode: 'production', logLevel: 'warn' },
    { root: ROOT },
  ).build();
  await viteBuild({ ...(config as InlineConfig), configFile: false, logLevel: 'warn' });
}

/** tests/e2e/bridge.ts as one classic script, for page.addInitScript. */
export async function buildBridge(): Promise<void> {
  await viteBuild({
    configFile: false,
    logLevel: 'warn',
    root: ROOT,
    build: {
      outDir: BRIDGE_DIR,
      emptyOutDir: true,
      minify: false,
      lib: {
        entry: resolve(import.meta.dirname, 'bridge.ts'),
        formats: ['iife'],
        name: 'oauthDeskBridge',
        fileName: () => 'bridge.js',
      },
    },
  });
}
