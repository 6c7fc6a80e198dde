// oauth-desk entry point: a thin door onto the data folder's owner (the desktop app, `oauth-desk server` or a
// background owner it starts): each command sends its operation over the owner's private socket and prints the
// answer. The quick path loads commander, the command's group and the socket client: no workspace, no zod, no HTTP.
// Main's context is imported only by the processes that own the folder (./ownerProcess.ts).
import { enableCompileCache } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { OwnerConnection } from '../node/ownerClient';
import type { AppContext } from '../main/context';
import { resolveHome } from '../node/home';
import { readOnlyReason } from '../node/readOnlyFolder';
import { trustedPrivateFolder } from '../node/trustedFolder';
import { AppError, type Result } from '../shared/errors';
import { buildProgram, exitCodeOf } from './program';
import { legacyArgs } from './legacyArgs';
import { inert } from './inert';

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

/** --no-daemon on the command line, or OAUTH_DESK_NO_DAEMON set (to anything but 0 or empty). */
export function wantsNoDaemon(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  const variable = env.OAUTH_DESK_NO_DAEMON?.trim();
  return argv.includes('--no-daemon') || (variable !== undefined && variable !== '' && variable !== '0');
}

// The command modules are imported after this line, and V8 keeps their compiled code in Node's compile cache, so a
// script calling oauth-desk in a loop does not compile them again each time. The cache is in the data folder (0700,
// this user's), never in the shared temporary folder, where another user could plant code; a cache folder that is
// not this user's alone is not used. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
const home = resolveHome(desktopDataFolder());
const cacheFolder = trustedPrivateFolder(join(home, 'compile-cache'));
if (cacheFolder) enableCompileCache(cacheFolder);

/** "waiting N s (rate limit)" on stderr whenever an organisation makes the owner wait, instead of a silent pause. */
function rateLimitNotice(err: (text: string) => void) {
  let last: string | null = null;
  return (name: string, payload: unknown) => {
    if (name !== 'organisationStatus') return;
    const { inWords, status } = payload as { inWords: string; status: { rateLimitedUntil: string | null } };
    if (status.rateLimitedUntil === null || status.rateLimitedUntil === last) return;
    last = status.rateLimitedUntil;
    const seconds = Math.max(1, Math.ceil((Date.parse(status.rateLimitedUntil) - Date.now()) / 1000));
    err(`oauth-desk: ${inWords} is limiting requests: waiting ${seconds} s (rate limit)`);
  };
}

/**
 * A read-only data folder's one line (changes are disabled, and why), said once when the command ends, unless a change
 * was refused with that very sentence, which then said it.
 */
function readOnlyNotice(line: string, err: (text: string) => void) {
  let refused = false;
  return {
    dispatch: (dispatch: AppContext['dispatch']) => async (operation: string, input: unknown) => {
      const answer = await dispatch(operation, input);
      if (!answer.ok && answer.error.message === line) refused = true;
      return answer;
    },
    end(): void {
      if (!refused) err(`oauth-desk: ${line}`);
    },
  };
}

/**
 * Where this command's operations go: the owner over its socket, or a context of its own (--no-daemon, or a data folder
 * it may only read, where no owner can start).
 */
function doorOf(home: string, noDaemon: boolean, yes: boolean) {
  let owner: OwnerConnection | undefined;
  let context: AppContext | undefined;
  let readOnly: ReturnType<typeof readOnlyNotice> | undefined;
  let opening: Promise<(operation: string, input: unknown) => Promise<Result<unknown>>> | undefined;
  const err = (text: string) => process.stderr.write(`${inert(text)}\n`);
  const open = () =>
    (opening ??= (async () => {
      const { cliBrowserOpener } = await import('./browserOpener');
      const browser = cliBrowserOpener({ err });
      const { cliConfirm, typedHostOf } = await import('./confirm');
      // `orgs add --base-url <url>`: the admin typed the host, which confirms it (a question about another one is asked).
      const confirm = cliConfirm({ yes, err, typedHost: typedHostOf(process.argv) });
      if (noDaemon || readOnlyReason(home) !== null) {
        context = (await (await import('./ownerProcess')).openInProcess(home, browser, { confirm })) ?? undefined;
        if (context) {
          if (context.workspaceRecovered) err(`oauth-desk: ${context.workspaceRecovered}`);
          const notice = rateLimitNotice(err);
          context.events.subscribe((name, payload) => notice(name, payload));
          if (!context.readOnly) return context.dispatch;
          readOnly = readOnlyNotice(context.readOnly, err);
          return readOnly.dispatch(context.dispatch);
        }
      }
      const { ownerConnection } = await import('./owner');
      const connected = await ownerConnection(home, { err, openBrowser: (url) => void browser.open(url), confirm });
      owner = connected;
      connected.listen(rateLimitNotice(err));
      return (operation: string, input: unknown) => connected.call(operation, input);
    })());
  return {
    dispatch: async (operation: string, input: unknown) => (await open())(operation, input),
    listen: async (listener: (name: string, payload: unknown) => void) => {
      await open();
      if (owner) owner.listen(listener);
      else context?.events.subscribe((name, payload) => listener(name, payload));
    },
    async close() {
      owner?.close();
      await context?.close();
      readOnly?.end();
    },
  };
}

async function main(argv: string[]): Promise<number> {
  const door = doorOf(home, wantsNoDaemon(argv), argv.includes('--yes') || process.env.OAUTH_DESK_YES === '1');
  const program = await buildProgram(
    {
      dispatch: door.dispatch,
      listen: door.listen,
      serve: async (port, orgName) =>
        (await import('./ownerProcess')).runForegroundServer(home, port, orgName, (text) =>
          process.stdout.write(`${inert(text)}\n`),
        ),
      runOwner: async () => (await import('./ownerProcess')).runBackgroundOwner(home),
      ownerStatus: async () => (await import('./owner')).ownerStatus(home),
      stopOwner: async () => (await import('./owner')).stopOwner(home),
      readStdin: async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks).toString('utf8');
      },
      out: (text) => process.stdout.write(`${inert(text)}\n`),
      err: (text) => process.stderr.write(`${inert(text)}\n`),
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
        `${inert((error.issues ?? [{ field: '', message: error.message }]).map((i) => `oauth-desk: ${i.field ? `${i.field}: ` : ''}${i.message}`).join('\n'))}\n`,
      );
    else if (code === 1)
      process.stderr.write(`oauth-desk: ${inert(error instanceof Error ? error.message : String(error))}\n`);
    return code;
  } finally {
    await door.close();
  }
}

// `owner run` sets its own exit code; a command's is main's answer.
const code = await main(legacyArgs(process.argv));
process.exitCode ??= code;
