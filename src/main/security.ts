// The main process's trust decisions: which frame may call an operation, which permission a page gets, which file
// the app scheme may serve. Pure functions, so each is proven by a test named after the attack it stops.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { AppError } from '../shared/errors';
import { APP_HOST, APP_SCHEME, isAppUrl } from './window';

/** What the main process knows about the frame an IPC message came from. */
export interface SenderFrame {
  url: string;
  /** False for an iframe: only the app's own top-level page speaks to main. */
  isMainFrame: boolean;
}

/**
 * Whether an IPC message may reach dispatch: it must come from the main frame of the app's own page. A frame
 * that is gone (null), an iframe (even one of ours) or a page that navigated elsewhere is refused.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined, appUrl: string): boolean {
  if (!frame || typeof frame.url !== 'string') return false;
  if (!frame.isMainFrame) return false;
  return isAppUrl(frame.url, appUrl);
}

/**
 * Permissions the app's own page may use. Writing to the clipboard is the one the UI needs (the Copy button of an
 * App ID; a secret is copied by main, which clears it again); camera, microphone, geolocation, notifications, clipboard reading and all the rest are
 * never granted, and nothing is granted to any other origin.
 */
const GRANTED_TO_APP: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function isPermissionGranted(permission: string, requestingUrl: string | undefined, appUrl: string): boolean {
  if (!GRANTED_TO_APP.has(permission)) return false;
  return typeof requestingUrl === 'string' && isAppUrl(requestingUrl, appUrl);
}

/**
 * The file on disk an `app://oauth-desk/...` request may be answered with, or null. Only files inside the built
 * renderer folder are served: `..`, encoded traversal, other hosts and other schemes get nothing.
 */
export function appAssetPath(requestUrl: string, rendererDir: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  if (url.username || url.password) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const root = resolve(rendererDir);
  const file = resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return null;
  return file;
}

/**
 * Fields the page may not set, though the CLI may: where main writes a file is the user's choice in the save dialog,
 * never the page's (a compromised page would otherwise overwrite a shell startup file).
 */
const DECIDED_BY_MAIN: Readonly<Record<string, readonly string[]>> = {
  exportHandoff: ['path'],
  exportRegistrationsFile: ['path'],
  exportActivityFile: ['path'],
};

/** Why the page may not send this input, or null: the window's doors (IPC, the e2e bridge) ask before dispatch. */
export function pageInputRefusal(operation: string, input: unknown): AppError | null {
  const fields = Object.hasOwn(DECIDED_BY_MAIN, operation) ? DECIDED_BY_MAIN[operation] : undefined;
  if (!fields || typeof input !== 'object' || input === null) return null;
  const sent = fields.filter((field) => Object.hasOwn(input, field));
  if (sent.length === 0) return null;
  return AppError.invalid(
    sent.map((field) => ({
      field,
      message: 'The window cannot choose where a file is written; OAuth Desk asks where to save it.',
    })),
  );
}

/** Every `window.open` and target=_blank link: no window of the app opens another, and nothing opens from the page. */
export function denyWindowOpen(): { action: 'deny' } {
  return { action: 'deny' };
}
