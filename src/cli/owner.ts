// How a command reaches the data folder's owner: over its socket when one answers; otherwise it starts a background
// owner (detached, logging to owner.log in the data folder, leaving after an idle time) and waits for its socket. An
// owner of another version is replaced when it is a background one; the desktop app or `oauth-desk server` of another
// version is named instead. With --no-daemon (or OAUTH_DESK_NO_DAEMON=1) and no owner running, the command opens the
// app in its own process for its duration.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { AppError } from '../shared/errors';
import { keepFolderPrivate } from '../node/privateFiles';
import { connectToOwner, type ConnectOptions, type OwnerConnection } from '../node/ownerClient';
import { ownerPaths, type OwnerPaths } from '../node/ownerDoor';
import { OAUTH_DESK_VERSION } from '../node/version';

/** How long a command waits for the background owner it started to listen (its first start creates keys, a database). */
const START_TIMEOUT_MS = 30_000;

export interface OwnerWords {
  /** Progress for the terminal ("starting a background OAuth Desk process"), on stderr. */
  err(text: string): void;
}

export async function ownerConnection(home: string, options: ConnectOptions & OwnerWords): Promise<OwnerConnection> {
  const paths = ownerPaths(home);
  let owner = await connectToOwner(paths, home, options);
  if (owner && owner.hello.version !== OAUTH_DESK_VERSION) owner = await replaceOlder(owner);
  if (owner) return owner;
  return startBackgroundOwner(home, paths, options);
}

/** A background owner of another version leaves; any other owner of another version is named, never replaced. */
async function replaceOlder(owner: OwnerConnection): Promise<null> {
  const { kind, version, pid } = owner.hello;
  if (kind !== 'background') {
    owner.close();
    const who =
      kind === 'desktop'
        ? 'The OAuth Desk app'
        : kind === 'server'
          ? '`oauth-desk server`'
          : 'Another oauth-desk command';
    throw new AppError(
      'server_error',
      `${who} (process ${pid}) is version ${version} and this oauth-desk is version ${OAUTH_DESK_VERSION}; they share the data folder, so use the oauth-desk of version ${version}, or quit the app and run the command again.`,
    );
  }
  await owner.handOver();
  return null;
}

async function startBackgroundOwner(
  home: string,
  paths: OwnerPaths,
  options: ConnectOptions & OwnerWords,
): Promise<OwnerConnection> {
  keepFolderPrivate(home);
  const log = openSync(paths.log, 'a', 0o600);
  const child = spawn(process.execPath, [process.argv[1] ?? '', 'owner', 'run'], {
    detached: true,
    stdio: ['ignore', log, log],
    windowsHide: true,
    env: { ...process.env, OAUTH_DESK_HOME: home },
  });
  closeSync(log);
  const started: { failed: number | null } = { failed: null };
  child.once('exit', (code) => {
    // 0: another process became the owner first, and this command uses it.
    if (code !== 0) started.failed = code ?? 1;
  });
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const owner = await connectToOwner(paths, home, options);
    if (owner) {
      // Said once, by the command that started the owner: what it found at its start (a workspace moved aside).
      if (owner.hello.notice) options.err(`oauth-desk: ${owner.hello.notice}`);
      return owner;
    }
    if (started.failed !== null || Date.now() > deadline)
      throw new AppError(
        'internal',
        `The background OAuth Desk process ${started.failed !== null ? 'could not start' : `did not answer within ${START_TIMEOUT_MS / 1000} s`}: ${lastLine(paths.log)} (its log: ${paths.log}).`,
      );
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}

function lastLine(file: string): string {
  try {
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    return lines[lines.length - 1] ?? 'no log';
  } catch {
    return 'no log';
  }
}

export interface OwnerStatus {
  home: string;
  owner: { kind: string; pid: number; version: string; localBaseUrl: string } | null;
  sentence: string;
}

const KIND_WORDS: Record<string, string> = {
  desktop: 'the OAuth Desk app',
  server: '`oauth-desk server`',
  background: 'a background OAuth Desk process',
  command: 'an oauth-desk command run with --no-daemon',
};

export async function ownerStatus(home: string): Promise<OwnerStatus> {
  const owner = await connectToOwner(ownerPaths(home), home);
  if (!owner)
    return { home, owner: null, sentence: `No OAuth Desk process owns ${home}; the next command starts one.` };
  owner.close();
  const { kind, pid, version, localBaseUrl } = owner.hello;
  return {
    home,
    owner: { kind, pid, version, localBaseUrl },
    sentence: `${home} is owned by ${KIND_WORDS[kind] ?? kind} (process ${pid}, version ${version}); its Identity Server is at ${localBaseUrl}.`,
  };
}

export async function stopOwner(home: string): Promise<string> {
  const owner = await connectToOwner(ownerPaths(home), home);
  if (!owner) return `No OAuth Desk process owns ${home}.`;
  const { kind, pid } = owner.hello;
  if (kind !== 'background') {
    owner.close();
    throw new AppError(
      'invalid_input',
      `${home} is owned by ${KIND_WORDS[kind] ?? kind} (process ${pid}), which is stopped by its own means (quit the app, Ctrl+C the server).`,
    );
  }
  await owner.handOver();
  return `Stopped the background OAuth Desk process (process ${pid}).`;
}
