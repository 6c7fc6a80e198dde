// A client of a data folder's owner over its private door (./ownerDoor.ts): the CLI's way in, and the way a desktop
// app or a newer CLI asks a background owner to hand over. Zod-free and small: the CLI's quick path loads it.
import { connect, type Socket } from 'node:net';
import { AppError, type Result } from '../shared/errors';
import { readMessages, refusalOfSocket, writeMessage, type DoorMessage, type OwnerPaths } from './ownerDoor';

export type OwnerHello = Extract<DoorMessage, { type: 'hello' }>;

export interface OwnerConnection {
  hello: OwnerHello;
  call(operation: string, input: unknown): Promise<Result<unknown>>;
  /** Hears the contract's events from now on. */
  listen(listener: (name: string, payload: unknown) => void): void;
  /** Asks a background owner to leave the folder; resolves when it has closed the connection. */
  handOver(): Promise<void>;
  close(): void;
}

export interface ConnectOptions {
  /** Opens an address for "sign in with my account" (the CLI prints it, and opens a browser where there is one). */
  openBrowser?: (url: string) => void;
  /** Answers the owner's question for this command (the CLI's terminal prompt, or --yes); without it, no. */
  confirm?: (request: { title: string; message: string; detail: string; host?: string }) => Promise<boolean>;
}

const NO_OWNER = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK']);

/** The owner's connection, or null when no owner listens; a socket that is not ours is refused, never connected to. */
export function connectToOwner(
  paths: OwnerPaths,
  folder: string,
  options: ConnectOptions = {},
): Promise<OwnerConnection | null> {
  const refusal = refusalOfSocket(paths.socket, folder);
  if (refusal) return Promise.reject(new AppError('forbidden', refusal));
  return new Promise((resolve, reject) => {
    const socket = connect(paths.socket);
    let connection: OwnerConnection | null = null;
    const pending = new Map<number, (result: Result<unknown>) => void>();
    const listeners: ((name: string, payload: unknown) => void)[] = [];
    let ended: string | null = null;
    let nextId = 1;
    const onEnd = (why: string) => {
      ended ??= why;
      for (const settle of pending.values())
        settle({
          ok: false,
          error: new AppError(
            'internal',
            `The OAuth Desk process that owns this data folder stopped before it answered (${ended}). Whether the command took effect is unknown; look before you run it again.`,
          ).toJSON(),
        });
      pending.clear();
    };
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (!connection) {
        if (error.code && NO_OWNER.has(error.code)) resolve(null);
        else reject(error);
        return;
      }
      onEnd(error.message);
    });
    socket.on('close', () => {
      if (!connection) resolve(null);
      onEnd('its connection closed');
    });
    readMessages(socket, (raw) => {
      const message = raw as DoorMessage;
      if (message.type === 'hello' && !connection) {
        connection = connectionOf(
          socket,
          message,
          pending,
          listeners,
          () => nextId++,
          () => ended,
        );
        resolve(connection);
      } else if (message.type === 'answer') {
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
      } else if (message.type === 'event') for (const listener of listeners) listener(message.name, message.payload);
      else if (message.type === 'openBrowser') options.openBrowser?.(message.url);
      else if (message.type === 'confirm') {
        const { id, title, detail, host } = message;
        const question = { title, message: message.message, detail, ...(typeof host === 'string' ? { host } : {}) };
        void (options.confirm?.(question) ?? Promise.resolve(false))
          .catch(() => false)
          .then((yes) => writeMessage(socket, { type: 'confirmed', id, yes }));
      } else if (message.type === 'bye') ended = message.reason;
    });
  });
}

function connectionOf(
  socket: Socket,
  hello: OwnerHello,
  pending: Map<number, (result: Result<unknown>) => void>,
  listeners: ((name: string, payload: unknown) => void)[],
  nextId: () => number,
  ended: () => string | null,
): OwnerConnection {
  return {
    hello,
    call(operation, input) {
      const id = nextId();
      return new Promise((settle) => {
        pending.set(id, settle);
        writeMessage(socket, { type: 'call', id, operation, input });
        const why = ended();
        if (why !== null || socket.destroyed) {
          pending.delete(id);
          settle({
            ok: false,
            error: new AppError(
              'internal',
              `The OAuth Desk process that owns this data folder is leaving (${why ?? 'closed'}); run the command again.`,
            ).toJSON(),
          });
        }
      });
    },
    listen(listener) {
      if (listeners.length === 0) writeMessage(socket, { type: 'listen' });
      listeners.push(listener);
    },
    handOver() {
      return new Promise((done) => {
        if (socket.destroyed) {
          done();
          return;
        }
        socket.once('close', () => done());
        writeMessage(socket, { type: 'handOver' });
      });
    },
    close() {
      socket.end();
      socket.unref();
    },
  };
}
