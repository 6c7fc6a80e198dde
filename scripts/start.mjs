// `npm start`: makes sure the Electron runtime is there, builds the app with electron-vite, then launches it.
//
// Native modules need no electron-rebuild: better-sqlite3 13 ships prebuilds/<platform>-<arch>.node built with
// node-addon-api (binding.gyp: NAPI_VERSION=10) and keytar 7.9 is built by node-gyp as a Node-API module
// ("binary": { "napi_versions": [3] }). Both export only `napi_register_module_v1` and import only napi_*
// symbols, never V8's or Node's, so the one build that the tests load in Node also loads in Electron.
// `nativeAbiProblems()` below re-checks that on every start, so a dependency that stops being Node-API is
// reported plainly instead of crashing the window.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { electronExecutable, electronPackageDir } from './electron-runtime.mjs';

const root = join(import.meta.dirname, '..');
const require = createRequire(join(root, 'package.json'));
const cliHint = 'the same operations are available from the terminal: npx oauth-desk --help';

/** Runs the electron package's installer (the download electron's index.js would start) and says why it failed. */
function downloadElectron(electronDir) {
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    cwd: electronDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 10 * 60 * 1000,
  });
  if (result.status === 0) return null;
  if (result.error) return result.error.message;
  const lines = `${result.stderr ?? ''}\n${result.stdout ?? ''}`.split('\n').map((line) => line.trim());
  const reason = lines.find((line) => /error/i.test(line)) ?? lines.find((line) => line.length > 0);
  return (reason ?? `the installer exited with code ${result.status}`).slice(0, 160);
}

/** Native modules the main process loads that are tied to one Node ABI (they would not load in Electron). */
function nativeAbiProblems() {
  const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
  // better-sqlite3's own resolver (not in its package exports, hence the file path) picks the prebuild it loads.
  const sqliteBinding = require(join(sqliteDir, 'lib', 'binding.js'));
  const candidates = [
    ['better-sqlite3', sqliteBinding.getPrebuildPath?.()],
    ['better-sqlite3', join(sqliteDir, 'build', 'Release', 'better_sqlite3.node')],
    ['keytar', join(dirname(require.resolve('keytar/package.json')), 'build', 'Release', 'keytar.node')],
  ];
  const problems = [];
  for (const [name, file] of candidates) {
    if (!file || !existsSync(file)) continue;
    const binary = readFileSync(file).toString('latin1');
    if (!binary.includes('napi_register_module_v1') && /node_register_module_v\d+/.test(binary))
      problems.push(`${name} (${file})`);
  }
  return problems;
}

function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    const forward = (signal) => child.kill(signal);
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, forward);
    child.on('error', (error) => {
      console.error(`OAuth Desk: could not run ${command}: ${error.message}`);
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main() {
  let executable = electronExecutable();
  if (!executable) {
    const failure = downloadElectron(electronPackageDir());
    executable = electronExecutable();
    if (!executable) {
      console.error(
        `OAuth Desk: the Electron runtime could not be downloaded (${failure ?? 'no executable after install'}); ${cliHint}`,
      );
      return 1;
    }
  }

  const tiedToNode = nativeAbiProblems();
  if (tiedToNode.length > 0) {
    console.error(
      `OAuth Desk: these native modules are built for Node only and would not load in Electron: ${tiedToNode.join(', ')}; ${cliHint}`,
    );
    return 1;
  }

  const electronVite = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const built = await run(process.execPath, [electronVite, 'build'], { cwd: root });
  if (built !== 0) return built;

  // ELECTRON_RUN_AS_NODE would turn the runtime into plain Node and ignore the app.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  return run(executable, [root, ...process.argv.slice(2)], { cwd: root, env });
}

process.exitCode = await main();
