// The processes that own a data folder from the command line: `oauth-desk server` in the foreground, the background
// owner a command starts (`oauth-desk owner`, not listed), and a --no-daemon command's own. Each opens main's context
// (src/main/context.ts, the CLI's one way into main), which takes the folder's lock and opens the private door.
import type { AppContext, BrowserOpener, ConfirmByMain } from '../main/context';
import { resolveLocalPort } from '../node/home';

/** How long a background owner stays with no command connected: OAUTH_DESK_OWNER_IDLE_SECONDS, default 10 minutes. */
export function ownerIdleMs(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.OAUTH_DESK_OWNER_IDLE_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 600_000;
}

function stamp(text: string): void {
  process.stdout.write(`${new Date().toISOString()} ${text}\n`);
}

/**
 * The background owner: serves the folder until it has been idle for ownerIdleMs, is asked to hand over, or is
 * stopped. Answers 0 when another process became the owner first (the command that started it uses that one).
 */
export async function runBackgroundOwner(home: string): Promise<number> {
  const { openAppContext, FolderInUse } = await import('../main/context');
  let leave: (why: string) => void = () => undefined;
  const left = new Promise<string>((resolve) => (leave = resolve));
  let context: AppContext;
  try {
    context = await openAppContext({
      home,
      port: resolveLocalPort(),
      ownerKind: 'background',
      onHandOver: () => leave('asked to hand over'),
    });
  } catch (error) {
    if (error instanceof FolderInUse) return 0;
    stamp(`could not start: ${error instanceof Error ? error.message : String(error)}`);
    // The command that started this process reads its exit code (0: another process became the owner, wait for it),
    // and the CLI's main sets process.exitCode from its own result once this action returns: exit with 1 here.
    process.exit(1);
  }
  stamp(`owner of ${home} (process ${process.pid}); local Identity Server at ${context.local.baseUrl}`);
  const idleMs = ownerIdleMs();
  const check = setInterval(
    () => {
      if (context.door.idleFor() >= idleMs) leave(`idle for ${Math.round(idleMs / 1000)} s`);
    },
    Math.min(30_000, Math.max(250, idleMs / 4)),
  );
  process.once('SIGTERM', () => leave('stopped (SIGTERM)'));
  process.once('SIGINT', () => leave('stopped (SIGINT)'));
  const why = await left;
  clearInterval(check);
  await context.close();
  stamp(`left: ${why}`);
  return 0;
}

/** `oauth-desk server`: the folder's owner in the foreground, as organisation `orgName`, until Ctrl+C. */
export async function runForegroundServer(
  home: string,
  port: number | undefined,
  orgName: string | undefined,
  out: (text: string) => void,
): Promise<void> {
  const { openAppContext } = await import('../main/context');
  const served = await openAppContext({ home, port: port ?? resolveLocalPort(), orgName, ownerKind: 'server' });
  const base = served.local.baseUrl;
  out(
    `OAuth Desk Identity Server listening on ${base}\n` +
      `  issuer:    ${base}/identity_\n` +
      `  token URL: ${base}/identity_/connect/token\n` +
      (orgName === undefined ? '' : `  org:       ${orgName} (also under ${base}/${orgName}/identity_)\n`) +
      `  data:      ${home}\nThe oauth-desk command works through this process while it runs. Press Ctrl+C to stop.`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await served.close();
}

/**
 * A --no-daemon command's own context: this process owns the folder for the command's duration. Null when another
 * process owns it already (the command then goes through that one).
 */
export async function openInProcess(
  home: string,
  openBrowser: BrowserOpener,
  asks: { confirm?: ConfirmByMain['confirm'] } = {},
): Promise<AppContext | null> {
  const { openAppContext, FolderInUse } = await import('../main/context');
  const confirm = asks.confirm ? { confirm: asks.confirm } : undefined;
  try {
    return await openAppContext({ home, port: resolveLocalPort(), ownerKind: 'command', openBrowser, confirm });
  } catch (error) {
    if (error instanceof FolderInUse) return null;
    throw error;
  }
}
