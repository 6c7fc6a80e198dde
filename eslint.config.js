// The lint gate (npm run lint): typescript-eslint with type information, eslint-plugin-vue, Prettier for layout.
// The import rules keep the architecture's boundaries (docs/architecture.md, "Boundaries"); each one names its reason.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Node's built-in modules, in both spellings, for the rules that keep Node out of the page and of src/shared. */
const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'https',
  'net',
  'url',
  'module',
  'process',
  'stream',
  'util',
  'worker_threads',
];

/** Switching off one of Electron's protections is never right in this code base. */
const unsafeWebPreferences = [
  ['nodeIntegration', true],
  ['nodeIntegrationInWorker', true],
  ['nodeIntegrationInSubFrames', true],
  ['sandbox', false],
  ['contextIsolation', false],
  ['webSecurity', false],
  ['allowRunningInsecureContent', true],
  ['webviewTag', true],
  ['experimentalFeatures', true],
].map(([key, value]) => ({
  selector: `Property[key.name='${String(key)}'][value.value=${String(value)}]`,
  message: `${String(key)}: ${String(value)} switches off one of Electron's protections.`,
}));
const noProtectionOff = [
  ...unsafeWebPreferences,
  {
    selector: "Property[key.name='enableBlinkFeatures']",
    message: 'enableBlinkFeatures switches on unvetted Blink features.',
  },
  { selector: 'Literal[value=/no-sandbox/]', message: '--no-sandbox switches off the renderer sandbox.' },
];

/** Raw IPC and contextBridge stay in their two doors (src/main/ipc.ts, src/preload/index.ts). */
const rawIpc = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer', 'contextBridge'],
  message: 'Raw IPC lives only in src/main/ipc.ts and src/preload/index.ts; go through the contract.',
};

/**
 * One of main's walls (docs/architecture.md, "Boundaries"): `files` never load a module `forbidden` names, neither by
 * `import … from` nor by `import()` (the CLI loads main lazily, so a wall that read only static imports would leak).
 * Raw IPC keeps its own message there too, and no Electron protection may be switched off.
 */
function wall(files, forbidden) {
  const dynamic = forbidden.map(({ regex, message }) => ({
    // esquery ends a regular expression at its first `/`, so a slash is written \x2F.
    selector: `ImportExpression > Literal[value=/${regex.replaceAll('/', '\\x2F')}/]`,
    message,
  }));
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { paths: [rawIpc], patterns: forbidden }],
      'no-restricted-syntax': ['error', ...noProtectionOff, ...dynamic],
    },
  };
}

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  ...vue.configs['flat/recommended'],
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        parser: tseslint.parser,
        extraFileExtensions: ['.vue'],
      },
      globals: { ...globals.node },
    },
    rules: {
      // Template literals with numbers are how messages are written here ("at most ${NAME_MAX} characters").
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `_` marks a deliberately unused binding (a destructured field left out, a callback's first argument).
      // openid-client marks allowInsecureRequests deprecated only to flag it; talking to the loopback organisation over http
      // is what it is for.
      '@typescript-eslint/no-deprecated': [
        'error',
        { allow: [{ from: 'package', package: 'openid-client', name: 'allowInsecureRequests' }] },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      'no-restricted-imports': ['error', { paths: [rawIpc] }],
      // An arrow that returns a void call (`() => done()`) says the same as its braced twin, in fewer lines.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  {
    // The product's own code and its build config; tests and benchmarks start Chromium as root, which needs no-sandbox.
    files: ['src/**', 'electron.vite.config.ts'],
    ignores: ['src/renderer/**'],
    rules: { 'no-restricted-syntax': ['error', ...noProtectionOff] },
  },
  {
    // Size limits on the product's code: a file over 400 lines or a function over 80 is a module or a step that wants
    // its own name; complexity over 15 is a decision that wants splitting.
    files: ['src/**/*.ts', 'src/**/*.vue'],
    rules: {
      'max-lines': ['error', { max: 400 }],
      'max-lines-per-function': ['error', { max: 80 }],
      complexity: ['error', 15],
    },
  },
  {
    files: ['tests/**', 'bench/**'],
    rules: {
      // Playwright reads a fixture's dependencies from its first parameter; a fixture that needs none says `{}`.
      'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }],
      // A test reads what it just made (`rows[0]!`); when that is missing, the next expectation fails with its name.
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-syntax': [
        'error',
        {
          // vitest's toMatchObject passes a property given as a bare regular expression without matching it.
          selector: 'CallExpression[callee.property.name=/^(toMatchObject|toContainEqual)$/] Property > Literal[regex]',
          message:
            'toMatchObject does not match a bare regular expression: write expect.stringMatching(/…/) as unknown.',
        },
      ],
    },
  },
  {
    files: ['**/*.vue'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src/main/ipc.ts', 'src/preload/index.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The page: no Node, no electron, nothing of main; from the preload only the api's types; no zod.
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The renderer has no Electron; it reaches main through src/renderer/src/api.ts.',
            },
            { name: 'zod', message: 'The renderer holds no zod schema: main checks every input it is sent.' },
          ],
          patterns: [
            { group: nodeBuiltins, message: 'The renderer runs in a sandboxed page: no Node modules.' },
            { regex: '(^|/)main(/|$)', message: 'The renderer reaches main only through src/renderer/src/api.ts.' },
            { regex: '(^|/)preload/(?!api$)', message: 'The renderer takes from the preload only the api types.' },
            {
              regex: '(^|/)preload/api$',
              allowTypeImports: true,
              message: 'The renderer takes only types from the preload.',
            },
            {
              // Their values are zod schemas: a value imported from them puts zod in the page's bundle.
              regex: '(^|/)shared/(model|plan|contract(/[^/]+)?)$',
              allowTypeImports: true,
              message:
                'The renderer takes only types from shared/model, shared/plan and shared/contract (zod schemas).',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        ...noProtectionOff,
        {
          selector: 'ImportExpression > Literal[value=/^(node:|electron$)/]',
          message: 'The renderer loads no Node module or electron.',
        },
      ],
    },
  },
  {
    files: ['src/renderer/**'],
    ignores: ['src/renderer/src/api.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'window', property: 'api', message: 'window.api is used only in src/renderer/src/api.ts.' },
      ],
    },
  },
  {
    // Shared code runs in the page, main, the CLI and the server alike: pure TypeScript, zod and itself.
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!zod$|\\./)', message: 'src/shared imports only zod and its own modules.' }] },
      ],
    },
  },
  {
    // A folder of src/shared (contract/) also reaches the modules one level up, and nothing beyond src/shared.
    files: ['src/shared/*/**/*'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!zod$|\\./|\\.\\./(?!\\.\\./))', message: 'src/shared imports only zod and its own modules.' },
          ],
        },
      ],
    },
  },
  // Main's use cases, its organisation clients and its workspace run in the CLI and the tests as well as in Electron, and
  // talk to any organisation, the embedded one included, only over HTTP.
  wall(
    ['src/main/services/**', 'src/main/organisation/**', 'src/main/workspace/**'],
    [
      {
        regex: '^electron$',
        message:
          'Services, the organisation client and workspace run without Electron too: take a port from src/main/ports.ts instead.',
      },
      {
        regex: '(^|/)identity-server(/|$)',
        message:
          'Services, the organisation client and workspace never import the identity server: shared code lives in src/shared or src/node.',
      },
    ],
  ),
  // The CLI is a door: it opens main's context (src/main/context.ts, which also names the ports) and nothing else of main.
  wall(
    ['src/cli/**'],
    [
      { regex: '^electron$', message: 'The CLI runs in plain Node: no electron.' },
      {
        regex: '(^|/)main/(?!context$)',
        message:
          'The CLI reaches main only through src/main/context.ts; shared helpers live in src/shared or src/node.',
      },
    ],
  ),
  // The embedded Identity Server plays UiPath: it knows nothing of the app that manages it.
  wall(
    ['src/identity-server/**'],
    [
      { regex: '^electron$', message: 'The identity server runs in plain Node (`oauth-desk server`): no electron.' },
      {
        regex: '(^|/)main(/|$)',
        message: 'The identity server never imports main: shared code lives in src/shared or src/node.',
      },
    ],
  ),
  // Node-only helpers of main, the CLI and the identity server alike: Node, src/shared and themselves.
  wall(
    ['src/node/**'],
    [
      { regex: '^electron$', message: 'src/node runs in every Node process, the CLI too: no electron.' },
      {
        regex: '^\\.\\./(?!shared/|\\.\\./package\\.json$)',
        message: 'src/node imports only Node, src/shared, package.json (the version) and its own modules.',
      },
    ],
  ),
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // CommonJS is what a .cjs file is: it loads with require.
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
