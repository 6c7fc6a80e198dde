// The owner's private door: the data folder's socket (0600 in a 0700 folder; a named pipe on Windows), on which the
// CLI sends the contract's operations and hears its events. Every call goes through the same dispatch as the window's
// (the contract's zod schemas parse it; a refusal comes back as the same Result). A call's "sign in with my account"
// opens the browser where the command runs: the owner sends the address back on the caller's connection.
import { AsyncLocalStorage } from 'node:async_hooks';
import { chmodSync, lstatSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { AppError } from '../../shared/errors';
import { readMessages, writeMessage, type DoorMessage, type OwnerKind } from '../../node/ownerDoor';
import type { Dispatch } from '../dispatch';
import type { EventBus } from '../events';
import type { BrowserOpener, ConfirmByMain } from '../ports';

export interface DoorOptions {
  socketPath: string;
  dispatch: Dispatch;
  events: EventBus;
  hello: { version: string; kind: OwnerKind; localBaseUrl: string; notice: string | null };
  /** A client asked this owner to leave the folder to it; only a background owner agrees. */
  onHandOver(): void;
}

export interface OwnerDoor {
  /** Milliseconds since the last connection closed, or 0 while one is open or a call runs. */
  idleFor(): number;
  /** Says goodbye to every connection, stops listening and removes the socket. */
  close(reason: string): Promise<void>;
}

const callerBrowser = new AsyncLocalStorage<BrowserOpener>();

/** The browser of whoever made the running call: the CLI's over the door, else `fallback` (the desktop's). */
export function browserOfCaller(fallback?: BrowserOpener): BrowserOpener {
  return {
    canOpen: () => (callerBrowser.getStore() ?? fallback) !== undefined,
    open(url) {
      const opener = callerBrowser.getStore() ?? fallback;
      if (!opener)
        throw new AppError(
          'invalid_input',
          'This OAuth Desk process cannot open a browser; open the address yourself.',
        );
      return opener.open(url);
    },
  };
}

const callerConfirm = new AsyncLocalStorage<ConfirmByMain>();

/** The confirmation of whoever made the running call: the CLI's terminal over the door, else `fallback` (a dialog). */
export function confirmOfCaller(fallback?: ConfirmByMain): ConfirmByMain {
  return {
    confirm: (request) => (callerConfirm.getStore() ?? fallback)?.confirm(request) ?? Promise.resolve(false),
  };
}

/** The confirmations each connection was asked and has not answered yet. */
const askedBySocket = new WeakMap<Socket, Map<number, (yes: boolean) => void>>();
let confirmIds = 0;

function askedOf(socket: Socket): Map<number, (yes: boolean) => void> {
  const known = askedBySocket.get(socket) ?? new Map<number, (yes: boolean) => void>();
  askedBySocket.set(socket, known);
  return known;
}

function settleConfirmed(socket: Socket, id: number, yes: boolean): void {
  askedOf(socket).get(id)?.(yes);
  askedOf(socket).delete(id);
}

/** Asks the caller on `socket` and waits for its answer (no answer by the time it closes is a no). */
function confirmOnSocket(socket: Socket): ConfirmByMain {
  return {
    confirm: (request) =>
      new Promise<boolean>((settle) => {
        if (socket.destroyed) {
          settle(false);
          return;
        }
        const id = (confirmIds += 1);
        askedOf(socket).set(id, settle);
        writeMessage(socket, { type: 'confirm', id, ...request });
      }),
  };
}

/** A socket left by an owner that died: removed, since the caller holds the lock. Anything else at the path is not. */
function removeStaleSocket(path: string): void {
  if (process.platform === 'win32') return;
  let stats;
  try {
    stats = lstatSync(path);
  } catch {
    return;
  }
  if (!stats.isSocket() || stats.uid !== process.getuid?.())
    throw new AppError(
      'internal',
      `${path} is in the way of OAuth Desk's socket and is not one OAuth Desk left (${stats.isSocket() ? 'it belongs to another user' : 'it is not a socket'}); remove it and start again.`,
    );
  rmSync(path, { force: true });
}

interface Call {
  id: number;
  operation: string;
  input: unknown;
}

function isCall(message: unknown): message is Call {
  const m = message as Partial<Call> & { type?: unknown };
  return m.type === 'call' && typeof m.id === 'number' && typeof m.operation === 'string';
}

function isConfirmed(message: unknown): message is { id: number; yes: unknown } {
  const m = message as { type?: unknown; id?: unknown };
  return m.type === 'confirmed' && typeof m.id === 'number';
}

/** Binds `server` to `socketPath`, readable and writable by this user alone from its first instant. */
async function listenPrivately(server: Server, socketPath: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // The socket is bound (synchronously, in listen) with no access for others from its first instant: a command
    // polling for it would otherwise meet it with the umask's mode (0755) before the chmod below, and refuse it.
    const umask = process.platform === 'win32' ? null : process.umask(0o177);
    try {
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    } finally {
      if (umask !== null) process.umask(umask);
    }
  });
  // The folder is 0700 already; the socket itself is the user's only as well.
  if (process.platform !== 'win32') chmodSync(socketPath, 0o600);
}

export async function openDoor(options: DoorOptions): Promise<OwnerDoor> {
  removeStaleSocket(options.socketPath);
  const connections = new Set<Socket>();
  let running = 0;
  let quietSince = Date.now();
  const send = (socket: Socket, message: DoorMessage) => writeMessage(socket, message);

  const answer = async (socket: Socket, call: Call) => {
    running += 1;
    try {
      const opener: BrowserOpener = {
        open: (url) => {
          send(socket, { type: 'openBrowser', url });
          return Promise.resolve();
        },
      };
      const confirm = confirmOnSocket(socket);
      const result = await callerBrowser.run(opener, () =>
        callerConfirm.run(confirm, () => options.dispatch(call.operation, call.input)),
      );
      send(socket, { type: 'answer', id: call.id, result });
    } finally {
      running -= 1;
      quietSince = Date.now();
    }
  };

  const server: Server = createServer((socket) => {
    connections.add(socket);
    let unsubscribe: (() => void) | null = null;
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      for (const settle of askedOf(socket).values()) settle(false);
      connections.delete(socket);
      unsubscribe?.();
      quietSince = Date.now();
    });
    send(socket, { type: 'hello', ...options.hello, pid: process.pid });
    readMessages(socket, (message) => {
      if (isCall(message)) void answer(socket, message);
      else if (isConfirmed(message)) settleConfirmed(socket, message.id, message.yes === true);
      else if ((message as { type?: unknown }).type === 'listen')
        unsubscribe ??= options.events.subscribe((name, payload) => send(socket, { type: 'event', name, payload }));
      else if ((message as { type?: unknown }).type === 'handOver' && options.hello.kind === 'background')
        options.onHandOver();
    });
  });

  await listenPrivately(server, options.socketPath);

  let closing: Promise<void> | null = null;
  return {
    idleFor: () => (connections.size > 0 || running > 0 ? 0 : Date.now() - quietSince),
    close(reason) {
      closing ??= new Promise<void>((resolve) => {
        for (const socket of connections) {
          send(socket, { type: 'bye', reason });
          socket.end();
        }
        server.close(() => resolve());
        setTimeout(() => {
          for (const socket of connections) socket.destroy();
        }, 1000).unref();
      }).finally(() => {
        if (process.platform !== 'win32') rmSync(options.socketPath, { force: true });
      });
      return closing;
    },
  };
}
