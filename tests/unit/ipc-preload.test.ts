// The preload's side of IPC: what it exposes to the page, on which channels it calls main, and how an error
// crosses the contextBridge. Electron's contextBridge and ipcRenderer are replaced by recorders.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNEL, channelOf, operationNames } from '../../src/shared/contract';
import { AppError, type Result } from '../../src/shared/errors';

const exposed = new Map<string, unknown>();
const invocations: { channel: string; input: unknown }[] = [];
/** The preload's listeners of main's events, by channel, as ipcRenderer.on registers them. */
const ipcListeners = new Map<string, Set<(event: unknown, message: unknown) => void>>();
let answer: Result<unknown> = { ok: true, value: null };

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: (channel: string, input: unknown) => {
      invocations.push({ channel, input });
      return Promise.resolve(answer);
    },
    on: (channel: string, listener: (event: unknown, message: unknown) => void) => {
      let set = ipcListeners.get(channel);
      if (!set) ipcListeners.set(channel, (set = new Set()));
      set.add(listener);
    },
    removeListener: (channel: string, listener: (event: unknown, message: unknown) => void) => {
      ipcListeners.get(channel)?.delete(listener);
    },
  },
}));

/** What main's webContents.send does: every listener of the channel hears the message, with an IPC event first. */
function sendFromMain(channel: string, message: unknown): void {
  for (const listener of ipcListeners.get(channel) ?? []) listener({ sender: 'the IPC event' }, message);
}

await import('../../src/preload/index');
const api = exposed.get('api') as Record<string, (input?: unknown) => Promise<unknown>>;

beforeEach(() => {
  invocations.length = 0;
  answer = { ok: true, value: null };
});

describe('preload', () => {
  it('exposes one thing to the page, `api`, holding exactly the contract’s operations and `on`', () => {
    expect([...exposed.keys()]).toEqual(['api']);
    expect(Object.keys(api).sort()).toEqual([...operationNames, 'on'].sort());
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('`on` hands the page only the payload of the event it named, until it unsubscribes', () => {
    const on = api.on as unknown as (name: string, listener: (payload: unknown) => void) => () => void;
    const heard: unknown[] = [];
    const stop = on('organisationStatus', (payload) => heard.push(payload));
    sendFromMain(EVENT_CHANNEL, { name: 'applyProgress', payload: { runId: 'r' } });
    sendFromMain(EVENT_CHANNEL, { name: 'organisationStatus', payload: { organisation: 'acme' } });
    sendFromMain('oauth-desk:listApps', { name: 'organisationStatus', payload: { organisation: 'other channel' } });
    expect(heard).toEqual([{ organisation: 'acme' }]);
    stop();
    sendFromMain(EVENT_CHANNEL, { name: 'organisationStatus', payload: { organisation: 'after stop' } });
    expect(heard).toEqual([{ organisation: 'acme' }]);
    expect(ipcListeners.get(EVENT_CHANNEL)?.size ?? 0).toBe(0);
  });

  it('the page cannot reach ipcRenderer or send on a channel of its choosing', () => {
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('send');
    expect(api).not.toHaveProperty('ipcRenderer');
  });

  it('each operation calls main on its own channel with the input as given', async () => {
    answer = { ok: true, value: [{ id: 'local' }] };
    await expect(api.listOrganisations!({})).resolves.toEqual({ ok: true, value: [{ id: 'local' }] });
    expect(invocations).toEqual([{ channel: channelOf('listOrganisations'), input: {} }]);
  });

  it('a typed error reaches the page as a value with its code and the fields to mark, whole after the bridge copies it', async () => {
    answer = {
      ok: false,
      error: {
        code: 'invalid_input',
        message: 'redirectUri: Use https, or http only on a loopback host.',
        issues: [{ field: 'redirectUri', message: 'Use https, or http only on a loopback host.' }],
      },
    };
    const answered = await api.createApp!({ name: 'x', isConfidential: false, scopes: [] });
    // The contextBridge copies values across worlds; structuredClone is the same kind of copy.
    expect(structuredClone(answered)).toEqual(answer);
    // On the page's side, the renderer turns it back into an AppError with everything the wizard marks.
    const { unwrapApi } = await import('../../src/shared/api');
    const error = await unwrapApi(api as never)
      .createApp({ name: 'x', isConfidential: false, scopes: [] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'invalid_input', issues: [{ field: 'redirectUri' }] });
  });

  it('why: a copied Error keeps only its message, so a thrown AppError would lose its code and issues', () => {
    const error = Object.assign(new Error('Application Name is required.'), { code: 'invalid_input', issues: [] });
    const copied = structuredClone(error) as Error & { code?: string };
    expect(copied.message).toBe('Application Name is required.');
    expect(copied.code).toBeUndefined();
  });
});
