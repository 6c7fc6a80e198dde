// The architecture's boundaries, checked over the source tree: raw IPC stays in its two doors, the renderer never
// reaches Node or the main process, `window.api` is used through one file, and no protection is switched off.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

interface SourceFile {
  /** Path from the repository root, with forward slashes. */
  path: string;
  /** The text with comments blanked out, so a comment that names a thing is not a use of it. */
  code: string;
}

function withoutComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (block) => block.replace(/[^\n]/g, ' '))
    .replace(/<!--[\s\S]*?-->/g, (block) => block.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

function sourceFiles(folder: string): SourceFile[] {
  const found: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|mts|cts|vue|js|mjs|cjs|html)$/.test(entry.name))
        found.push({ path: relative(root, full).split(sep).join('/'), code: withoutComments(readFileSync(full, 'utf8')) });
    }
  };
  walk(join(root, folder));
  return found;
}

/** Every module specifier a file imports, statically, dynamically or by require. */
function importsOf(code: string): string[] {
  const specifiers: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[\w*{}\s,]+\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?[\w*{}\s,]+\s+from\s+['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) specifiers.push(match[1] ?? '');
  return specifiers;
}

const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, name.split('/')[0] ?? name]));
const isNodeModule = (specifier: string) => specifier.startsWith('node:') || nodeBuiltins.has(specifier.split('/')[0] ?? '');

type Rule = (file: SourceFile) => string[];

const rules: Record<string, Rule> = {
  'ipcMain is used only in src/main/ipc.ts': (file) =>
    file.path !== 'src/main/ipc.ts' && /\bipcMain\b/.test(file.code) ? ['uses ipcMain'] : [],
  'ipcRenderer is used only in src/preload/index.ts': (file) =>
    file.path !== 'src/preload/index.ts' && /\bipcRenderer\b/.test(file.code) ? ['uses ipcRenderer'] : [],
  'only the preload exposes anything to the page': (file) =>
    file.path !== 'src/preload/index.ts' && /\bexposeIn(Main|Isolated)World\b/.test(file.code) ? ['uses contextBridge'] : [],
  'the renderer imports no Node module, no electron and nothing of main': (file) =>
    file.path.startsWith('src/renderer/')
      ? importsOf(file.code)
          .filter((s) => isNodeModule(s) || s === 'electron' || s.startsWith('electron/') || /(^|\/)main(\/|$)/.test(s))
          .map((s) => `imports ${s}`)
      : [],
  'the renderer takes from the preload only its typed api builder': (file) =>
    file.path.startsWith('src/renderer/')
      ? importsOf(file.code)
          .filter((s) => /(^|\/)preload(\/|$)/.test(s) && !/(^|\/)preload\/api$/.test(s))
          .map((s) => `imports ${s}`)
      : [],
  'window.api is used only in src/renderer/src/api.ts': (file) =>
    file.path !== 'src/renderer/src/api.ts' && /\bwindow\s*(\.\s*api\b|\[\s*['"]api['"]\s*\])/.test(file.code)
      ? ['uses window.api']
      : [],
  'shared code stays pure: only zod and its own modules': (file) =>
    file.path.startsWith('src/shared/')
      ? importsOf(file.code)
          .filter((s) => s !== 'zod' && !/^\.\/[\w.-]+$/.test(s))
          .map((s) => `imports ${s}`)
      : [],
  'no protection is switched off': (file) => {
    const found: string[] = [];
    const unsafe = [
      /\bnodeIntegration(InWorker|InSubFrames)?\s*:\s*true\b/,
      /\bsandbox\s*:\s*false\b/,
      /\bcontextIsolation\s*:\s*false\b/,
      /\bwebSecurity\s*:\s*false\b/,
      /\ballowRunningInsecureContent\s*:\s*true\b/,
      /\bwebviewTag\s*:\s*true\b/,
      /\benableBlinkFeatures\s*:/,
      /\bexperimentalFeatures\s*:\s*true\b/,
      /\bno-sandbox\b/,
    ];
    for (const pattern of unsafe) {
      const match = pattern.exec(file.code);
      if (match) found.push(`contains "${match[0]}"`);
    }
    return found;
  },
};

function check(files: SourceFile[]): string[] {
  const problems: string[] = [];
  for (const [name, rule] of Object.entries(rules))
    for (const file of files) for (const problem of rule(file)) problems.push(`${file.path}: ${problem} (${name})`);
  return problems;
}

const fixture = (path: string, text: string): SourceFile => ({ path, code: withoutComments(text) });

describe('boundaries of the source tree', () => {
  const tree = [...sourceFiles('src'), ...['electron.vite.config.ts'].map((p) => fixture(p, readFileSync(join(root, p), 'utf8')))];

  it('finds the source files it is meant to guard', () => {
    const paths = tree.map((f) => f.path);
    expect(paths).toContain('src/main/ipc.ts');
    expect(paths).toContain('src/preload/index.ts');
    expect(paths).toContain('src/shared/contract.ts');
  });

  it('every file keeps to every boundary', () => {
    expect(check(tree)).toEqual([]);
  });
});

describe('each boundary catches what it is meant to', () => {
  const cases: Array<[string, SourceFile]> = [
    ['ipcMain is used only', fixture('src/main/services/x.ts', "import { ipcMain } from 'electron';")],
    ['ipcRenderer is used only', fixture('src/renderer/src/App.vue', "<script setup lang=\"ts\">import { ipcRenderer } from 'electron'</script>")],
    ['only the preload exposes', fixture('src/main/index.ts', "contextBridge.exposeInMainWorld('x', {})")],
    ['the renderer imports no Node module', fixture('src/renderer/src/stores/x.ts', "import { readFileSync } from 'node:fs';")],
    ['the renderer imports no Node module', fixture('src/renderer/src/stores/y.ts', "const cp = require('child_process');")],
    ['the renderer imports no Node module', fixture('src/renderer/src/stores/z.ts', "import { openAppContext } from '../../../main/context';")],
    ['the renderer imports no Node module', fixture('src/renderer/src/stores/w.ts', "const m = await import('electron');")],
    ['the renderer takes from the preload only', fixture('src/renderer/src/x.ts', "import '../../preload/index';")],
    ['window.api is used only', fixture('src/renderer/src/stores/x.ts', 'await window.api.listApps({});')],
    ['window.api is used only', fixture('src/renderer/src/stores/y.ts', "await window['api'].listApps({});")],
    ['shared code stays pure', fixture('src/shared/x.ts', "import { createHash } from 'node:crypto';")],
    ['shared code stays pure', fixture('src/shared/y.ts', "import { home } from '../main/home';")],
    ['no protection is switched off', fixture('src/main/x.ts', 'new BrowserWindow({ webPreferences: { sandbox: false } })')],
    ['no protection is switched off', fixture('src/main/y.ts', '{ nodeIntegration: true }')],
    ['no protection is switched off', fixture('src/main/z.ts', '{ contextIsolation:false }')],
    ['no protection is switched off', fixture('src/main/w.ts', '{ webSecurity: false }')],
  ];

  it.each(cases)('%s', (rule, file) => {
    const problems = check([file]);
    expect(problems.some((p) => p.includes(`(${rule}`))).toBe(true);
  });

  it('a comment that names a thing is not a use of it', () => {
    expect(check([fixture('src/main/x.ts', '// like ipcMain, with sandbox: false\n/* window.api */ const a = 1;')])).toEqual([]);
  });

  it('the allowed doors are allowed', () => {
    expect(check([fixture('src/main/ipc.ts', "import { ipcMain } from 'electron';")])).toEqual([]);
    expect(check([fixture('src/preload/index.ts', "import { contextBridge, ipcRenderer } from 'electron';")])).toEqual([]);
    expect(check([fixture('src/renderer/src/api.ts', "import type { Api } from '../../preload/api';\nwindow.api;")])).toEqual([]);
  });
});
