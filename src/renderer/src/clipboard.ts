// Copying what the page itself shows (an App ID, a URL, a keychain entry's name) to the clipboard, through useAction:
// a message when it worked, and when the clipboard refuses, how to copy it by hand. A secret never goes this way: main
// copies it, and clears the clipboard after.
import { useAction } from './useAction';

/** What the messages say: e.g. "App ID copied." and "Could not copy the App ID: select it and copy it by hand." */
export interface CopyWords {
  copied: string;
  refused: string;
}

/** The page's Copy (call it in setup). */
export function useCopyText(): (text: string, words: CopyWords) => Promise<void> {
  const { run } = useAction((text: string, _words: CopyWords) => navigator.clipboard.writeText(text), {
    concurrent: true,
    success: (_copied, _text, words) => words.copied,
    failure: (_error, _text, words) => words.refused,
  });
  return async (text, words) => {
    await run(text, words);
  };
}
