// The one sign-in in the browser that main waits for ("Sign in with my account", when adding an organisation or signing
// in to one again), named by an ID the window hears of (the accountSignInWaiting event): it can cancel it, open the
// sign-in page again, or copy a fresh one-time start address of it.
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import type { AccountSignInControl } from '../../organisation/accountSignIn';
import type { EventBus } from '../../events';

export function accountSignIns(events: EventBus) {
  let running: { id: string; control: AccountSignInControl } | null = null;

  function named(id: string): AccountSignInControl {
    if (running?.id !== id)
      throw new AppError('not_found', 'That sign-in is over: OAuth Desk no longer waits for it.', [
        { field: 'id', message: 'That sign-in is over: OAuth Desk no longer waits for it.' },
      ]);
    return running.control;
  }

  return {
    /**
     * Runs one sign-in; `start` hands its control on once the listener is up. A sign-in started while another waits
     * cancels the other: one at a time.
     */
    async run<T>(start: (onWaiting: (control: AccountSignInControl) => void) => Promise<T>): Promise<T> {
      const id = randomUUID();
      try {
        return await start((control) => {
          running?.control.cancel();
          running = { id, control };
          events.emit('accountSignInWaiting', { id });
        });
      } finally {
        if (running?.id === id) running = null;
      }
    },
    /** Closes the listener at once; the add or sign-in waiting on it ends with "Sign-in cancelled". */
    cancel(id: string): { cancelled: true } {
      named(id).cancel();
      return { cancelled: true };
    },
    /** Opens the browser again on a fresh one-time start address of the same sign-in. */
    async reopen(id: string): Promise<{ opened: true }> {
      await named(id).reopen();
      return { opened: true };
    },
    /** A fresh one-time start address of the sign-in, for the clipboard. */
    startAddress: (id: string): string => named(id).startAddress(),
  };
}
export type AccountSignIns = ReturnType<typeof accountSignIns>;
