import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src/main/index.ts') },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload must be one self-contained CommonJS file: bundle everything, emit .cjs.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    // Relative asset URLs: the same build loads from the app:// scheme in Electron and over http in the e2e tests.
    base: './',
    // The page's components are <script setup>, and Naive UI's and the router's use setup() too: Vue's Options API is
    // left out of the bundle.
    plugins: [vue({ features: { optionsAPI: false } })],
    // Chromium has ResizeObserver: the polyfill vueuc would fall back to is replaced by the browser's own.
    resolve: {
      alias: { '@juggle/resize-observer': resolve(__dirname, 'src/renderer/src/nativeResizeObserver.ts') },
    },
    build: {
      // Less JavaScript to parse before the first rows show.
      minify: true,
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src/renderer/index.html') },
        // What index.html loads before the list shows ($initial: the entry's static imports) as one chunk, rather than
        // the entry and the pieces it shares with lazy views apart: fewer requests, and it compresses better.
        output: { codeSplitting: { groups: [{ name: 'first-view', tags: ['$initial'] }] } },
      },
    },
  },
});
