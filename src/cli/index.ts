// oauth-desk entry point: wires the commands to the same dispatch the desktop app uses, and maps errors to exit codes.
// Main's context (workspace, keychain, Identity Server) is imported on the first call that needs it: `--help` and a
// refused argument never load it.
import { enableCompileCache } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AppContext } from '../main/context';
import { resolveHome, resolveLocalPort } from '../node/home';
import { AppError } from '../shared/errors';
import { buildProgram, exitCodeOf } from './program';

/** Electron's userData folder of the desktop app ("OAuth Desk"), so the CLI and the app share one workspace. */
export function desktopDataFolder(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'OAuth Desk');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'OAuth Desk');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'OAuth Desk');
}

// The command modules are imported after this line, and V8 keeps their compiled code in Node's compile cache (in
// the temporary folder), so a script calling oauth-desk in a loop does not compile them again each time.
// NODE_DISABLE_COMPILE_CACHE=1 turns it off.
enableCompileCache();

async function main(argv: string[]): Promise<number> {
  const home = resolveHome(desktopDataFolder());
  let context: AppContext | undefined;
  let opening: Promise<AppContext> | undefined;
  const open = () =>
    (opening ??= (async () => {
      const [{ openAppContext }, { cliBrowserOpener }] = await Promise.all([
        import('../main/context'),
        import('./browserOpener'),
      ]);
      context = await openAppContext({
        home,
        port: resolveLocalPort(),
        reuseRunningServer: true,
        // `tenants add --interactive`: the URL on stderr, and the platform's browser when there is one.
        openBrowser: cliBrowserOpener({ err: (text) => process.stderr.write(`${text}\n`) }),
      });
      if (context.workspaceRecovered) process.stderr.write(`oauth-desk: ${context.workspaceRecovered}\n`);
      return context;
    })());

  const program = await buildProgram(
    {
      dispatch: async (operation, input) => (await open()).dispatch(operation, input),
      serve: async (port, orgName) => {
        const { serveLocalTenant } = await import('../main/context');
        const served = await serveLocalTenant({ home, port: port ?? resolveLocalPort(), orgName });
        process.stdout.write(
          `OAuth Desk Identity Server listening on ${served.local.baseUrl}\n` +
            `  issuer:    ${served.local.baseUrl}/identity_\n` +
            `  token URL: ${served.local.baseUrl}/identity_/connect/token\n` +
            (orgName === undefined
              ? ''
              : `  org:       ${orgName} (also under ${served.local.baseUrl}/${orgName}/identity_)\n`) +
            `  data:      ${home}\nPress Ctrl+C to stop.\n`,
        );
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await served.close();
      },
      readStdin: async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks).toString('utf8');
      },
      out: (text) => process.stdout.write(`${text}\n`),
      err: (text) => process.stderr.write(`${text}\n`),
    },
    argv,
  );

  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    const code = exitCodeOf(error);
    // A terminal user types fields as options, so each refused field is named before its sentence.
    if (error instanceof AppError)
      process.stderr.write(
        `${(error.issues ?? [{ field: '', message: error.message }]).map((i) => `oauth-desk: ${i.field ? `${i.field}: ` : ''}${i.message}`).join('\n')}\n`,
      );
    else if (code === 1)
      process.stderr.write(`oauth-desk: ${error instanceof Error ? error.message : String(error)}\n`);
    return code;
  } finally {
    await context?.close();
  }
}

process.exitCode = await main(process.argv);
