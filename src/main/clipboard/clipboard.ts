// The rule for a secret put on the clipboard (the Clipboard port is in ../ports.ts): cleared after a while, unless the
// user replaced it meanwhile.
import type { Clipboard } from '../ports';

/** How long a copied secret stays on the clipboard unless the workspace is told otherwise. */
export const DEFAULT_CLIPBOARD_CLEAR_SECONDS = 60;

/**
 * Puts secrets on a clipboard and takes each off again after `clearAfterSeconds`, only if the clipboard still holds
 * that value: text the user copied since is theirs and stays.
 */
export function secretClipboard(clipboard: Clipboard, clearAfterSeconds: number) {
  // Each pending clear and the value it waits to take off.
  const pending = new Map<NodeJS.Timeout, string>();

  async function clearIfStill(value: string): Promise<void> {
    if ((await clipboard.readText()) === value) clipboard.clear();
  }

  return {
    clearAfterSeconds,

    async put(value: string): Promise<void> {
      await clipboard.writeText(value);
      const timer = setTimeout(() => {
        pending.delete(timer);
        void clearIfStill(value);
      }, clearAfterSeconds * 1000);
      // A pending clear must not keep a CLI or test process alive; close() clears at once instead.
      timer.unref();
      pending.set(timer, value);
    },

    /** When the app closes: a secret still on the clipboard is taken off now rather than left behind. */
    async close(): Promise<void> {
      const waiting = [...pending];
      pending.clear();
      for (const [timer, value] of waiting) {
        clearTimeout(timer);
        await clearIfStill(value);
      }
    },
  };
}
export type SecretClipboard = ReturnType<typeof secretClipboard>;
