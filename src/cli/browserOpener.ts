// The CLI's browser door for "sign in with my account": the URL on stderr, and the platform's opener when there is one.
import { spawn } from 'node:child_process';
import { AppError } from '../shared/errors';
import type { BrowserOpener } from '../main/context';
import { isSafeExternalUrl } from '../shared/externalUrl';

interface Opener {
  command: string;
  args: (url: string) => string[];
}

/**
 * How each platform opens a URL in the user's default browser. Windows goes through rundll32 rather than
 * `cmd /c start`: cmd would read the URL's `&` and `%` as its own syntax.
 */
function openerOf(platform: NodeJS.Platform): Opener {
  if (platform === 'darwin') return { command: 'open', args: (url) => [url] };
  if (platform === 'win32') return { command: 'rundll32', args: (url) => ['url.dll,FileProtocolHandler', url] };
  return { command: 'xdg-open', args: (url) => [url] };
}

/**
 * Prints the URL (a terminal on another machine, or without a browser, can still copy it), then asks the platform's
 * opener. A missing opener is not a failure: the printed URL is the way then.
 */
export function cliBrowserOpener(o: {
  err: (text: string) => void;
  platform?: NodeJS.Platform;
  spawn?: typeof spawn;
}): BrowserOpener {
  const opener = openerOf(o.platform ?? process.platform);
  const run = o.spawn ?? spawn;
  return {
    open: (url) =>
      new Promise<void>((resolve, reject) => {
        if (!isSafeExternalUrl(url)) {
          reject(new AppError('invalid_input', 'Only an http or https address is opened in the browser.'));
          return;
        }
        o.err(`Sign in in your browser. If it does not open, visit this address:\n  ${url}`);
        try {
          const child = run(opener.command, opener.args(url), { stdio: 'ignore', detached: true });
          child.once('spawn', () => {
            child.unref();
            resolve();
          });
          child.once('error', () => {
            resolve();
          });
        } catch {
          resolve();
        }
      }),
  };
}
