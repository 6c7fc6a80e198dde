// The Electron IPC door: one handler per contract operation, and no message reaches dispatch unless its frame is
// the app's own main frame. Electron's ipcMain is replaced by a recorder (the binary cannot run in a unit test).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createDispatch, type Handlers } from '../../src/main/dispatch';
import { channelOf, operationNames } from '../../src/shared/contract';
import type { Result } from '../../src/shared/errors';

type Handler = (event: unknown, input: unknown) => Promise<Result<unknown>>;
const handlers = new Map<string, Handler>();

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, handler);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { registerIpc } = await import('../../src/main/ipc');

const appUrl = 'app://oauth-desk/index.html';
const mainFrame = (url: string) => ({ senderFrame: { url, parent: null } });
const childFrame = (url: string) => ({ senderFrame: { url, parent: { url: appUrl, parent: null } } });

let calls: { operation: string; input: unknown }[];
const dispatch = (operation: string, input: unknown): Promise<Result<unknown>> => {
  calls.push({ operation, input });
  return Promise.resolve({ ok: true, value: { operation } });
};

beforeEach(() => {
  handlers.clear();
  calls = [];
});

describe('IPC door', () => {
  it('registers exactly one channel per contract operation, and removes them all again', () => {
    const unregister = registerIpc(dispatch, appUrl);
    expect([...handlers.keys()].sort()).toEqual(operationNames.map(channelOf).sort());
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('hands the app page’s message to dispatch with its operation and input untouched', async () => {
    registerIpc(dispatch, appUrl);
    const input = { organisation: 'local', name: 'Invoice bot', isConfidential: true, scopes: [] };
    const answer = await handlers.get(channelOf('createApp'))!(mainFrame(`${appUrl}#/apps/new`), input);
    expect(answer).toEqual({ ok: true, value: { operation: 'createApp' } });
    expect(calls).toEqual([{ operation: 'createApp', input }]);
  });

  it('a frame from another origin cannot call an operation', async () => {
    registerIpc(dispatch, appUrl);
    for (const operation of operationNames) {
      const answer = await handlers.get(channelOf(operation))!(mainFrame('https://evil.example/'), {});
      expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(calls).toEqual([]);
  });

  it('an iframe inside the app cannot call an operation', async () => {
    registerIpc(dispatch, appUrl);
    const answer = await handlers.get(channelOf('listApps'))!(childFrame(appUrl), {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it('a message whose frame is already gone is refused', async () => {
    registerIpc(dispatch, appUrl);
    const answer = await handlers.get(channelOf('listOrganisations'))!({ senderFrame: null }, {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it('the refusal tells nothing about the app’s data', async () => {
    registerIpc(dispatch, appUrl);
    const answer = await handlers.get(channelOf('getApp'))!(mainFrame('file:///tmp/evil.html'), { clientId: 'x' });
    expect(answer).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'This page is not allowed to use OAuth Desk.' },
    });
  });
});

describe('IPC door over the real dispatch', () => {
  const handled: string[] = [];
  const handlersFor = () =>
    Object.fromEntries(
      operationNames.map((name) => [
        name,
        () => {
          handled.push(name);
          return Promise.resolve([]);
        },
      ]),
    ) as unknown as Handlers;

  beforeEach(() => {
    handled.length = 0;
  });

  it('bad input from the app page gets the contract’s typed error naming the field, and no handler runs', async () => {
    registerIpc(createDispatch(handlersFor()), appUrl);
    const answer = await handlers.get(channelOf('createApp'))!(mainFrame(appUrl), {
      name: 'Invoice bot',
      isConfidential: 'yes',
      scopes: [],
    });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ field: 'isConfidential' }] },
    });
    expect(handled).toEqual([]);
  });

  it('an unknown field smuggled into the input is refused by name', async () => {
    registerIpc(createDispatch(handlersFor()), appUrl);
    const answer = await handlers.get(channelOf('listApps'))!(mainFrame(appUrl), {
      organisation: 'local',
      sql: 'DROP TABLE',
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ field: 'sql' }] } });
    expect(handled).toEqual([]);
  });

  it('good input from the app page reaches its handler', async () => {
    registerIpc(createDispatch(handlersFor()), appUrl);
    const answer = await handlers.get(channelOf('listOrganisations'))!(mainFrame(appUrl), {});
    expect(answer).toEqual({ ok: true, value: [] });
    expect(handled).toEqual(['listOrganisations']);
  });
});

describe('forwardEvents', () => {
  it('sends each event main raises on the one event channel, as { name, payload }, until stopped', async () => {
    const { eventBus } = await import('../../src/main/events');
    const { forwardEvents } = await import('../../src/main/ipc');
    const { EVENT_CHANNEL } = await import('../../src/shared/eventChannel');
    const bus = eventBus();
    const sent: unknown[] = [];
    const stop = forwardEvents(bus, (channel, message) => sent.push([channel, message]));
    bus.emit('organisationDataChanged', { organisation: 'acme', what: 'applications' });
    stop();
    bus.emit('organisationDataChanged', { organisation: 'acme', what: 'catalogue' });
    expect(sent).toEqual([
      [EVENT_CHANNEL, { name: 'organisationDataChanged', payload: { organisation: 'acme', what: 'applications' } }],
    ]);
  });
});
