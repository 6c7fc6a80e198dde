// oauth-desk entry point: wires the commands to the same dispatch the desktop app uses, and maps errors to exit codes.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { openAppContext, serveLocalTenant, type AppContext } from '../main/context';
import { resolveHome, resolveLocalPort } from '../main/home';
import { AppError } from '../shared/errors';
import { cliBrowserOpener } from './browserOpener';
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

async function main(argv: string[]): Promise<number> {
  const home = resolveHome(desktopDataFolder());
  let context: AppContext | undefined;
  const open = async () =>
    (context ??= await openAppContext({
      home,
      port: resolveLocalPort(),
      reuseRunningServer: true,
      // `tenants add --interactive`: the URL on stderr, and the platform's browser when there is one.
      openBrowser: cliBrowserOpener({ err: (text) => process.stderr.write(`${text}\n`) }),
    }));

  const program = buildProgram({
    dispatch: async (operation, input) => (await open()).dispatch(operation, input),
    serve: async (port, orgName) => {
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
  });

  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    const code = exitCodeOf(error);
    if (error instanceof AppError) process.stderr.write(`oauth-desk: ${error.message}\n`);
    else if (code === 1)
      process.stderr.write(`oauth-desk: ${error instanceof Error ? error.message : String(error)}\n`);
    return code;
  } finally {
    await context?.close();
  }
}

process.exitCode = await main(process.argv);
