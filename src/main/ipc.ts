// The Electron door onto dispatch: one IPC handler per contract operation, each behind the same sender check.
// The input is parsed by the operation's schema inside dispatch; here only the fields the page may not set are refused.
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { channelOf, operationNames, type OperationName } from '../shared/contract';
import type { Result } from '../shared/errors';
import { EVENT_CHANNEL, type EventMessage } from '../shared/eventChannel';
import type { Dispatch } from './dispatch';
import type { EventBus } from './events';
import { isTrustedSender, pageInputRefusal, type SenderFrame } from './security';

const refused: Result<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'This page is not allowed to use OAuth Desk.' },
};

/** The frame a message came from, as the trust check sees it; null when the frame is already gone. */
export function senderFrameOf(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): SenderFrame | null {
  const frame = event.senderFrame;
  if (!frame) return null;
  return { url: frame.url, isMainFrame: frame.parent === null };
}

/**
 * Answers one message: refused unless it comes from the app's own main frame and decides nothing main decides
 * (pageInputRefusal), else whatever dispatch answers. The checks run before any handler, for every operation alike,
 * so no handler can forget them.
 */
export async function answerIpc(
  dispatch: Dispatch,
  appUrl: string,
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  operation: OperationName,
  input: unknown,
): Promise<Result<unknown>> {
  if (!isTrustedSender(senderFrameOf(event), appUrl)) return refused;
  const refusal = pageInputRefusal(operation, input);
  if (refusal) return { ok: false, error: refusal.toJSON() };
  return dispatch(operation, input);
}

/**
 * Passes every event main raises to the trusted window, on the one event channel, as `{ name, payload }`; `send` is
 * the window's (nothing is sent once it is gone). Answers the way to stop.
 */
export function forwardEvents(events: EventBus, send: (channel: string, message: EventMessage) => void): () => void {
  return events.subscribe((name, payload) => {
    send(EVENT_CHANNEL, { name, payload });
  });
}

/** Registers every contract operation on its channel; returns the way to remove them again. */
export function registerIpc(dispatch: Dispatch, appUrl: string): () => void {
  for (const operation of operationNames) {
    ipcMain.handle(channelOf(operation), (event, input: unknown) =>
      answerIpc(dispatch, appUrl, event, operation, input),
    );
  }
  return () => {
    for (const operation of operationNames) ipcMain.removeHandler(channelOf(operation));
  };
}
