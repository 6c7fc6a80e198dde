// The loopback listener of "Sign in with my account" (RFC 8252): 127.0.0.1 on a free port, the browser's way back to
// the app, with one-time start addresses that send the browser on to the authorize URL.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CALLBACK_PATH = '/callback';

export interface LoopbackListener {
  port: number;
  /** The one handler of GET /callback; every other path or method is refused here. */
  onCallback(handler: (url: URL, res: ServerResponse) => Promise<void>): void;
  /**
   * A fresh one-time, unguessable address of this listener that redirects once to `target`; answered its URL. It
   * replaces the earlier ones: an address given to a browser that never came (or left on the opener's command line)
   * leads nowhere once a new one is given.
   */
  startOnce(target: string): string;
  close(): Promise<void>;
}

/** An HTTP listener on 127.0.0.1 and a free port, for the browser's redirect back to the app. */
export async function listenOnLoopback(): Promise<LoopbackListener> {
  let callback: ((url: URL, res: ServerResponse) => Promise<void>) | null = null;
  let port = 0;
  // The one-time start address (its path) and where it sends the browser; answered once, then forgotten, and
  // forgotten too once a newer one is given.
  const starts = new Map<string, string>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${String(port)}`);
    // Another Host is a page of some other name resolving here (DNS rebinding), never the browser coming back.
    if (req.headers.host !== `127.0.0.1:${String(port)}`) {
      sendPage(res, 400, 'Wrong address', 'This listener answers only http://127.0.0.1.');
      return;
    }
    const target = req.method === 'GET' ? startTarget(starts, url.pathname) : null;
    if (target !== null) {
      res.writeHead(302, { location: target, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end();
      return;
    }
    if (url.pathname !== CALLBACK_PATH || !callback) {
      sendPage(res, 404, 'Not found', 'OAuth Desk waits here only for the sign-in to come back.');
      return;
    }
    if (req.method !== 'GET') {
      res.setHeader('allow', 'GET');
      sendPage(res, 405, 'Method not allowed', 'The sign-in comes back here only with GET.');
      return;
    }
    callback(url, res).catch((error: unknown) => {
      if (!res.headersSent) sendPage(res, 500, 'Sign-in failed', messageOf(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  return {
    port,
    onCallback(handler) {
      callback = handler;
    },
    startOnce(target) {
      const path = `/start/${randomToken()}`;
      starts.clear();
      starts.set(path, target);
      return `http://127.0.0.1:${String(port)}${path}`;
    },
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        // A browser keeps its connection open (keep-alive): end it, or close waits for the browser.
        server.closeAllConnections();
      })),
  };
}

/** The listener's own small page: no script, style, frame, referrer (the URL holds the code) or cache. */
/** Where a start address sends the browser, taken off so that it works once; null when `pathname` is none. */
function startTarget(starts: Map<string, string>, pathname: string): string | null {
  for (const [path, target] of starts)
    if (sameText(pathname, path)) {
      starts.delete(path);
      return target;
    }
  return null;
}

export function sendPage(res: ServerResponse, status: number, title: string, text: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader(
    'content-security-policy',
    "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  );
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cache-control', 'no-store');
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · OAuth Desk</title></head>` +
      `<body><main><h1>${escapeHtml(title)}</h1><p role="${status === 200 ? 'status' : 'alert'}">${escapeHtml(text)}</p></main></body></html>`,
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);
}

/** 32 random bytes, base64url: the PKCE verifier (RFC 7636 §4.1) and the state. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
