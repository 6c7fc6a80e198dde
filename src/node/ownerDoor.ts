// The owner's private door, as both of its sides see it: where a data folder's owner listens (a Unix domain socket in
// the data folder, a per-user named pipe on Windows), what crosses it (one JSON message per line), and the check a
// client makes before it connects, so that it never talks to a socket someone else put there. Node and src/shared
// only, zod-free: the CLI's quick path loads it.
import { createHash } from 'node:crypto';
import { lstatSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import type { Result } from '../shared/errors';

/** Who owns a data folder: the desktop app, `oauth-desk server` in the foreground, or a background owner. */
export type OwnerKind = 'desktop' | 'server' | 'background' | 'command';

export interface OwnerPaths {
  /** The socket (or pipe) the owner listens on. */
  socket: string;
  /** The file whose exclusive lock makes a process the owner. */
  lock: string;
  /** Where a background owner writes what it has to say. */
  log: string;
}

/** A Unix domain socket's path is at most 107 bytes on Linux (103 on macOS). */
export const SOCKET_PATH_MAX = 103;

export function ownerPaths(home: string, platform: NodeJS.Platform = process.platform): OwnerPaths {
  const socket =
    platform === 'win32'
      ? `\\\\.\\pipe\\oauth-desk-${createHash('sha256').update(home.toLowerCase()).digest('hex').slice(0, 24)}`
      : join(home, 'owner.sock');
  return { socket, lock: join(home, 'owner.lock'), log: join(home, 'owner.log') };
}

/** What a client sends. */
export type DoorRequest =
  | { type: 'call'; id: number; operation: string; input: unknown }
  /** From now on, the contract's events come to this connection too. */
  | { type: 'listen' }
  /** Asks a background owner to close and leave the data folder to the asker (a desktop app, a newer version). */
  | { type: 'handOver' }
  /** The answer to a `confirm` the owner asked this connection: yes only when the person said so. */
  | { type: 'confirmed'; id: number; yes: boolean };

/** What the owner sends. */
export type DoorMessage =
  /** The first message on every connection. */
  | {
      type: 'hello';
      version: string;
      kind: OwnerKind;
      pid: number;
      localBaseUrl: string;
      /** What the owner found at its start that a person should hear (the workspace file was moved aside), or null. */
      notice: string | null;
    }
  | { type: 'answer'; id: number; result: Result<unknown> }
  | { type: 'event'; name: string; payload: unknown }
  /** "Sign in with my account" for this connection's command: the client opens (or prints) the address. */
  | { type: 'openBrowser'; url: string }
  /** A question for the person at this connection's command (its terminal, or --yes); answered by `confirmed`. */
  | { type: 'confirm'; id: number; title: string; message: string; detail: string; host?: string }
  /** The owner is leaving (handed over, idle, closing); nothing more comes on this connection. */
  | { type: 'bye'; reason: string };

/** One message per line; a line longer than this (an import document is the largest input) ends the connection. */
export const MESSAGE_MAX_BYTES = 32 * 1024 * 1024;

/** Calls `onMessage` with each line of `socket` parsed as JSON; a line that is not JSON or too long closes it. */
export function readMessages(socket: Socket, onMessage: (message: unknown) => void): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim() !== '') {
        let message: unknown;
        try {
          message = JSON.parse(line);
        } catch {
          socket.destroy();
          return;
        }
        onMessage(message);
      }
      newline = buffered.indexOf('\n');
    }
    if (buffered.length > MESSAGE_MAX_BYTES) socket.destroy();
  });
}

export function writeMessage(socket: Socket, message: DoorMessage | DoorRequest): void {
  if (!socket.destroyed && socket.writable) socket.write(`${JSON.stringify(message)}\n`);
}

/**
 * Why the socket at `path` is not one to connect to, or null when it is: it must be a socket (not a link, not a file)
 * owned by this user and open to no one else, in a folder only this user may write to. Named pipes (Windows) are
 * not files; their access list is set by the owner that creates them.
 */
export function refusalOfSocket(
  path: string,
  folder: string,
  uid: number | undefined = process.getuid?.(),
  platform: NodeJS.Platform = process.platform,
): string | null {
  if (platform === 'win32' || uid === undefined) return null;
  const folderStats = statsOf(folder);
  if (folderStats && (folderStats.uid !== uid || (folderStats.mode & 0o022) !== 0))
    return `The data folder ${folder} belongs to another user or others may write to it, so OAuth Desk does not trust the socket in it.`;
  const stats = statsOf(path);
  if (!stats) return null;
  const fix = `OAuth Desk never connects to it. Remove it if it is not yours to keep, then run the command again.`;
  if (stats.isSymbolicLink()) return `${path} is a symbolic link, not OAuth Desk's socket. ${fix}`;
  if (!stats.isSocket()) return `${path} is not a socket. ${fix}`;
  if (stats.uid !== uid) return `${path} belongs to another user (uid ${stats.uid}). ${fix}`;
  if ((stats.mode & 0o077) !== 0)
    return `${path} is open to other users (mode ${(stats.mode & 0o777).toString(8)}). ${fix}`;
  return null;
}

function statsOf(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}
