// The main window's options and where its page comes from, as pure values (proven without launching Electron).
import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The privileged scheme the built renderer is served from in production. A custom scheme instead of file://:
 * the page gets a real origin of its own, and nothing else on disk is reachable from it.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'oauth-desk';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * The page's Content Security Policy, once: src/renderer/index.html declares the same text (tests/unit/boundaries.test.ts
 * holds them equal), and the app scheme sends it as a header too, which also covers what a meta tag cannot (a response
 * that is not the page). Only the app's own scripts run; styles may be inline because Naive UI injects its themed CSS
 * at run time; nothing is fetched from anywhere else.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
  "connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'";

/** A response of the app scheme as it leaves main: with the CSP, and no content sniffing. */
export function withSecurityHeaders(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  headers.set('X-Content-Type-Options', 'nosniff');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** The main window: every renderer-side protection on, nothing Node-ish reachable from the page. */
export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'OAuth Desk',
    // Shown once the first paint is ready, so the user never sees an empty white frame.
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  };
}

/**
 * Where the renderer is loaded from: the dev server electron-vite names in ELECTRON_RENDERER_URL while
 * developing (never in a packaged app, where that variable must not redirect the window), else the app scheme.
 */
export function rendererUrl(options: { isPackaged: boolean; devServerUrl?: string | undefined }): string {
  const dev = options.devServerUrl?.trim();
  if (!options.isPackaged && dev && isHttpUrl(dev)) return dev;
  return APP_ENTRY_URL;
}

/**
 * Whether `url` is a page of the app itself (same scheme, host and port as the renderer; for file: the very same
 * file). Navigation anywhere else is refused: the window must never show another site with the preload attached.
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  const target = parse(url);
  const app = parse(appUrl);
  if (!target || !app) return false;
  if (target.protocol !== app.protocol) return false;
  if (target.username || target.password) return false;
  if (app.protocol === 'file:') return target.host === app.host && target.pathname === app.pathname;
  return target.host === app.host && target.host !== '';
}

function isHttpUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== null && (parsed.protocol === 'http:' || parsed.protocol === 'https:');
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
