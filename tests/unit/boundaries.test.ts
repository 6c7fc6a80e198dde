// The architecture's boundaries are ESLint rules (eslint.config.js): raw IPC stays in its two doors, the renderer
// never reaches Node, Electron or main, `window.api` is used through one file, src/shared stays pure, no Electron
// protection is switched off, and main's walls hold (services, organisation and workspace without electron or the identity
// server; the CLI through main's context only; the identity server without main; src/node without electron or main). `npm run lint` holds the tree to them; this file proves that each rule catches what it
// is meant to, and checks what ESLint does not read: the renderer's HTML page.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/main/window';

const root = join(import.meta.dirname, '..', '..');

/** ESLint with the project's config, minus type information: these rules read imports and syntax only. */
const eslint = new ESLint({
  cwd: root,
  overrideConfig: [{ languageOptions: { parserOptions: { projectService: false, project: null } } }],
  ruleFilter: ({ ruleId }) => /^(@typescript-eslint\/)?no-restricted-(imports|properties|syntax)$/.test(ruleId),
});

/** The boundary messages ESLint gives `code` as if it were the file at `path`. */
async function boundaryMessages(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return (result?.messages ?? []).map((m) => m.message);
}

describe('each boundary catches what it is meant to', () => {
  const cases: [string, string, string, RegExp][] = [
    ['ipcMain outside ipc.ts', 'src/main/services/x.ts', "import { ipcMain } from 'electron';", /Raw IPC/],
    ['ipcRenderer in the page', 'src/renderer/src/x.ts', "import { ipcRenderer } from 'electron';", /no Electron/],
    ['contextBridge outside the preload', 'src/main/x.ts', "import { contextBridge } from 'electron';", /Raw IPC/],
    ['Node in the page', 'src/renderer/src/stores/x.ts', "import { readFileSync } from 'node:fs';", /no Node/],
    ['Node in the page, bare', 'src/renderer/src/stores/x.ts', "import fs from 'fs';", /no Node/],
    [
      'main from the page',
      'src/renderer/src/stores/x.ts',
      "import { openAppContext } from '../../../main/context';",
      /reaches main only/,
    ],
    [
      'Node loaded lazily in the page',
      'src/renderer/src/x.ts',
      "export const m = import('node:child_process');",
      /loads no Node/,
    ],
    ['the preload script in the page', 'src/renderer/src/x.ts', "import '../../preload/index';", /only the api types/],
    [
      'the preload api as a value in the page',
      'src/renderer/src/x.ts',
      "import { createApi } from '../../preload/api';",
      /only types/,
    ],
    ['zod in the page', 'src/renderer/src/x.ts', "import { z } from 'zod';", /holds no zod/],
    [
      'a schema as a value in the page',
      'src/renderer/src/components/x.ts',
      "import { ExportDocument } from '../../../shared/model';",
      /only types from shared\/model/,
    ],
    [
      'window.api outside api.ts',
      'src/renderer/src/stores/x.ts',
      'await window.api.listApps({});',
      /window\.api is used only/,
    ],
    [
      'window["api"] outside api.ts',
      'src/renderer/src/stores/x.ts',
      "await window['api'].listApps({});",
      /window\.api is used only/,
    ],
    ['Node in src/shared', 'src/shared/x.ts', "import { createHash } from 'node:crypto';", /only zod/],
    ['main in src/shared', 'src/shared/x.ts', "import { home } from '../main/home';", /only zod/],
    [
      'main in a folder of src/shared',
      'src/shared/contract/x.ts',
      "import { openAppContext } from '../../main/context';",
      /only zod/,
    ],
    // Main's walls: its use cases, organisation clients and workspace; the CLI; the identity server; src/node.
    ['electron in a service', 'src/main/services/x.ts', "import { shell } from 'electron';", /take a port/],
    [
      'electron in the organisation client',
      'src/main/organisation/x.ts',
      "import { net } from 'electron';",
      /take a port/,
    ],
    ['electron in the workspace', 'src/main/workspace/x.ts', "import { app } from 'electron';", /take a port/],
    [
      'the identity server in a service',
      'src/main/services/x.ts',
      "import type { RateLimits } from '../../identity-server/http/rateLimit';",
      /never import the identity server/,
    ],
    [
      'the identity server in the organisation client',
      'src/main/organisation/x.ts',
      "import { startIdentityServer } from '../../identity-server/server';",
      /never import the identity server/,
    ],
    [
      'the identity server in the workspace',
      'src/main/workspace/x.ts',
      "import { keepFolderPrivate } from '../../identity-server/store/privateFiles';",
      /never import the identity server/,
    ],
    [
      'the identity server loaded lazily in a service',
      'src/main/services/x.ts',
      "export const m = import('../../identity-server/server');",
      /never import the identity server/,
    ],
    [
      'main beyond its context in the CLI',
      'src/cli/x.ts',
      "import { resolveHome } from '../main/home';",
      /only through/,
    ],
    [
      'a main service in a CLI command',
      'src/cli/commands/x.ts',
      "import type { Services } from '../../main/services/handlers';",
      /only through/,
    ],
    [
      'main loaded lazily in the CLI',
      'src/cli/x.ts',
      "export const m = import('../main/services/index');",
      /only through/,
    ],
    ['electron in the CLI', 'src/cli/x.ts', "import { app } from 'electron';", /plain Node/],
    [
      'main in the identity server',
      'src/identity-server/store/x.ts',
      "import { openDatabase } from '../../main/workspace/database';",
      /never imports main/,
    ],
    [
      'main loaded lazily in the identity server',
      'src/identity-server/x.ts',
      "export const m = import('../main/context');",
      /never imports main/,
    ],
    ['electron in the identity server', 'src/identity-server/x.ts', "import { app } from 'electron';", /plain Node/],
    [
      'main in src/node',
      'src/node/x.ts',
      "import { openAppContext } from '../main/context';",
      /only Node, src\/shared/,
    ],
    ['electron in src/node', 'src/node/x.ts', "import { app } from 'electron';", /no electron/],
    ['sandbox off', 'src/main/x.ts', 'new BrowserWindow({ webPreferences: { sandbox: false } });', /sandbox: false/],
    ['nodeIntegration on', 'src/main/x.ts', 'export const o = { nodeIntegration: true };', /nodeIntegration: true/],
    [
      'contextIsolation off',
      'src/main/x.ts',
      'export const o = { contextIsolation: false };',
      /contextIsolation: false/,
    ],
    ['webSecurity off', 'src/main/x.ts', 'export const o = { webSecurity: false };', /webSecurity: false/],
    ['--no-sandbox', 'src/main/x.ts', "app.commandLine.appendSwitch('no-sandbox');", /renderer sandbox/],
  ];

  it.each(cases)('%s', async (_name, path, code, expected) => {
    const messages = await boundaryMessages(path, code);
    expect(
      messages.some((m) => expected.test(m)),
      `ESLint said: ${JSON.stringify(messages)}`,
    ).toBe(true);
  });

  it('the allowed doors are allowed', async () => {
    expect(await boundaryMessages('src/main/ipc.ts', "import { ipcMain } from 'electron';")).toEqual([]);
    expect(
      await boundaryMessages('src/preload/index.ts', "import { contextBridge, ipcRenderer } from 'electron';"),
    ).toEqual([]);
    expect(await boundaryMessages('src/renderer/src/api.ts', 'export const bridge = window.api;')).toEqual([]);
    expect(await boundaryMessages('src/renderer/src/x.ts', "import type { Invoke } from '../../preload/api';")).toEqual(
      [],
    );
    expect(
      await boundaryMessages('src/renderer/src/x.ts', "import type { ExportDocument } from '../../shared/model';"),
    ).toEqual([]);
    expect(
      await boundaryMessages('src/shared/x.ts', "import { z } from 'zod';\nimport { contract } from './contract';"),
    ).toEqual([]);
    expect(
      await boundaryMessages(
        'src/shared/contract/x.ts',
        "import { ExternalClient } from '../model';\nimport { labelled } from './fields';",
      ),
    ).toEqual([]);
    expect(
      await boundaryMessages(
        'src/cli/x.ts',
        "import type { AppContext } from '../main/context';\nexport const m = import('../main/context');",
      ),
    ).toEqual([]);
    expect(
      await boundaryMessages(
        'src/main/services/x.ts',
        "import { UIPATH_RATE_LIMITS } from '../../shared/rateLimits';\nimport { writePrivately } from '../../node/privateFiles';\nimport type { Keychain } from '../ports';",
      ),
    ).toEqual([]);
    expect(
      await boundaryMessages(
        'src/node/x.ts',
        "import { join } from 'node:path';\nimport { AppError } from '../shared/errors';\nimport { writePrivately } from './privateFiles';",
      ),
    ).toEqual([]);
  });
});

describe('what ESLint does not read', () => {
  const page = readFileSync(join(root, 'src/renderer/index.html'), 'utf8');

  it('the page declares a CSP that runs only its own scripts and fetches nothing from elsewhere', () => {
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(page)?.[1] ?? '';
    // One policy: the app scheme sends the same text as a header (src/main/window.ts).
    expect(csp).toBe(CONTENT_SECURITY_POLICY);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(csp).toContain("object-src 'none'");
  });

  it('the page has no inline script', () => {
    const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc=/);
      expect(body?.trim()).toBe('');
    }
  });
});
