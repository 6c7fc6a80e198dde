// A clipboard held in memory. Tests use it in place of Electron's, whose binary cannot be downloaded on the machines
// they run on; the app itself always gets Electron's clipboard from index.ts.
import type { Clipboard } from './clipboard';

export function memoryClipboard(): Clipboard & { text: string } {
  const clipboard = {
    text: '',
    writeText(text: string) {
      clipboard.text = text;
    },
    readText() {
      return clipboard.text;
    },
    clear() {
      clipboard.text = '';
    },
  };
  return clipboard;
}
