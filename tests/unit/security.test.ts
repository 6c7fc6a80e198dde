// The Electron protections, each as the attack it stops: window options, navigation, external links, IPC senders,
// permissions and the files the app scheme serves.
import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appAssetPath, isPermissionGranted, isTrustedSender } from '../../src/main/security';
import { isSafeExternalUrl } from '../../src/shared/externalUrl';
import { APP_ENTRY_URL, isAppUrl, rendererUrl, windowOptions } from '../../src/main/window';

const devUrl = 'http://localhost:5173/';
const rendererDir = resolve('/opt/oauth-desk/out/renderer');

describe('window options', () => {
  const prefs = windowOptions('/app/out/preload/index.cjs').webPreferences ?? {};

  it('a page cannot reach Node: no node integration anywhere, context isolated, sandboxed', () => {
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
  });

  it('the same-origin policy stays on and no insecure content, webview or experimental feature is allowed', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
  });

  it('dropping a file on the window does not navigate to it', () => {
    expect(prefs.navigateOnDragDrop).toBe(false);
  });

  it('loads the given preload and nothing else', () => {
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });
});

describe('where the page comes from', () => {
  it('a packaged app ignores ELECTRON_RENDERER_URL, so an environment variable cannot point the window at a site', () => {
    expect(rendererUrl({ isPackaged: true, devServerUrl: 'https://evil.example/' })).toBe(APP_ENTRY_URL);
  });

  it('development uses the dev server; anything but http(s) there falls back to the built page', () => {
    expect(rendererUrl({ isPackaged: false, devServerUrl: devUrl })).toBe(devUrl);
    expect(rendererUrl({ isPackaged: false, devServerUrl: 'javascript:alert(1)' })).toBe(APP_ENTRY_URL);
    expect(rendererUrl({ isPackaged: false })).toBe(APP_ENTRY_URL);
  });
});

describe('navigation', () => {
  it('the app may move between its own pages', () => {
    expect(isAppUrl('app://oauth-desk/index.html#/apps/new', APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('http://localhost:5173/#/activity', devUrl)).toBe(true);
  });

  it('a link to another site does not replace the app (it would inherit the preload)', () => {
    expect(isAppUrl('https://evil.example/', APP_ENTRY_URL)).toBe(false);
    expect(isAppUrl('https://evil.example/', devUrl)).toBe(false);
  });

  it('another port on localhost is another origin', () => {
    expect(isAppUrl('http://localhost:43110/identity_/connect/authorize', devUrl)).toBe(false);
  });

  it('a look-alike host or scheme is not the app', () => {
    expect(isAppUrl('app://oauth-desk.evil.example/index.html', APP_ENTRY_URL)).toBe(false);
    expect(isAppUrl('https://oauth-desk/index.html', APP_ENTRY_URL)).toBe(false);
    expect(isAppUrl('http://localhost:5173@evil.example/', devUrl)).toBe(false);
  });

  it('javascript:, data: and file: URLs are never app pages', () => {
    expect(isAppUrl('javascript:alert(1)', APP_ENTRY_URL)).toBe(false);
    expect(isAppUrl('data:text/html,<script>alert(1)</script>', APP_ENTRY_URL)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', APP_ENTRY_URL)).toBe(false);
  });

  it('when the page is a file, only that very file counts as the app', () => {
    const page = 'file:///opt/oauth-desk/out/renderer/index.html';
    expect(isAppUrl(`${page}#/apps`, page)).toBe(true);
    expect(isAppUrl('file:///home/admin/Downloads/evil.html', page)).toBe(false);
  });

  it('garbage is not a URL of the app', () => {
    expect(isAppUrl('not a url', APP_ENTRY_URL)).toBe(false);
    expect(isAppUrl('', APP_ENTRY_URL)).toBe(false);
  });
});

describe('links opened in the browser', () => {
  it('https and http links to a named host are opened externally', () => {
    expect(isSafeExternalUrl('https://docs.uipath.com/automation-cloud/docs/managing-external-applications')).toBe(
      true,
    );
    expect(isSafeExternalUrl('http://127.0.0.1:43110/identity_/.well-known/openid-configuration')).toBe(true);
  });

  it('a link to javascript: is not opened externally', () => {
    expect(isSafeExternalUrl('javascript:alert(document.cookie)')).toBe(false);
    expect(isSafeExternalUrl('JavaScript:alert(1)')).toBe(false);
  });

  it('a link to a local file or share is not opened externally (it could run a program)', () => {
    expect(isSafeExternalUrl('file:///C:/Windows/System32/calc.exe')).toBe(false);
    expect(isSafeExternalUrl('smb://attacker.example/share/payload.exe')).toBe(false);
    expect(isSafeExternalUrl('\\\\attacker.example\\share\\payload.exe')).toBe(false);
  });

  it('a link to another application’s scheme is not opened externally', () => {
    expect(isSafeExternalUrl('ms-msdt:/id PCWDiagnostic')).toBe(false);
    expect(isSafeExternalUrl('vscode://file/etc/passwd')).toBe(false);
    expect(isSafeExternalUrl('data:text/html,<script>alert(1)</script>')).toBe(false);
  });

  it('a link with credentials in it is not opened externally (a phishing classic)', () => {
    expect(isSafeExternalUrl('https://cloud.uipath.com@evil.example/')).toBe(false);
    expect(isSafeExternalUrl('https://user:pass@example.com/')).toBe(false);
  });

  it('a link hiding whitespace or control characters is not opened externally', () => {
    expect(isSafeExternalUrl(' https://example.com/')).toBe(false);
    expect(isSafeExternalUrl('https://example.com/\npath')).toBe(false);
    expect(isSafeExternalUrl('java\tscript:alert(1)')).toBe(false);
    expect(isSafeExternalUrl('https://exa\u0000mple.com/')).toBe(false);
  });

  it('something that is not a link at all is not opened', () => {
    expect(isSafeExternalUrl(undefined)).toBe(false);
    expect(isSafeExternalUrl(42)).toBe(false);
    expect(isSafeExternalUrl('')).toBe(false);
    expect(isSafeExternalUrl('https://')).toBe(false);
    expect(isSafeExternalUrl(`https://example.com/${'a'.repeat(3000)}`)).toBe(false);
  });
});

describe('IPC senders', () => {
  it('the app’s own page may call an operation', () => {
    expect(isTrustedSender({ url: 'app://oauth-desk/index.html#/apps', isMainFrame: true }, APP_ENTRY_URL)).toBe(true);
    expect(isTrustedSender({ url: 'http://localhost:5173/', isMainFrame: true }, devUrl)).toBe(true);
  });

  it('a frame from another origin cannot call an operation', () => {
    expect(isTrustedSender({ url: 'https://evil.example/', isMainFrame: true }, APP_ENTRY_URL)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isMainFrame: false }, APP_ENTRY_URL)).toBe(false);
  });

  it('an iframe cannot call an operation, even one showing an app page', () => {
    expect(isTrustedSender({ url: 'app://oauth-desk/index.html', isMainFrame: false }, APP_ENTRY_URL)).toBe(false);
  });

  it('a message from a frame that is already gone is refused', () => {
    expect(isTrustedSender(null, APP_ENTRY_URL)).toBe(false);
    expect(isTrustedSender(undefined, APP_ENTRY_URL)).toBe(false);
  });

  it('a page that navigated to file: or data: cannot call an operation', () => {
    expect(isTrustedSender({ url: 'file:///tmp/evil.html', isMainFrame: true }, APP_ENTRY_URL)).toBe(false);
    expect(isTrustedSender({ url: 'data:text/html,x', isMainFrame: true }, APP_ENTRY_URL)).toBe(false);
  });
});

describe('permissions', () => {
  it('the page cannot turn on the camera, microphone, location or notifications', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'midi',
      'hid',
      'serial',
      'usb',
      'openExternal',
    ]) {
      expect(isPermissionGranted(permission, APP_ENTRY_URL, APP_ENTRY_URL)).toBe(false);
    }
  });

  it('the page cannot read the clipboard (where other secrets may sit)', () => {
    expect(isPermissionGranted('clipboard-read', APP_ENTRY_URL, APP_ENTRY_URL)).toBe(false);
  });

  it('the app’s own page may write a secret to the clipboard from its Copy button', () => {
    expect(isPermissionGranted('clipboard-sanitized-write', 'app://oauth-desk/index.html#/apps', APP_ENTRY_URL)).toBe(
      true,
    );
    // The permission check handler is given an origin, not a page URL.
    expect(isPermissionGranted('clipboard-sanitized-write', 'app://oauth-desk', APP_ENTRY_URL)).toBe(true);
    expect(isPermissionGranted('clipboard-sanitized-write', 'http://localhost:5173', devUrl)).toBe(true);
  });

  it('another origin gets no permission at all', () => {
    expect(isPermissionGranted('clipboard-sanitized-write', 'https://evil.example/', APP_ENTRY_URL)).toBe(false);
    expect(isPermissionGranted('clipboard-sanitized-write', undefined, APP_ENTRY_URL)).toBe(false);
  });
});

describe('files served by the app scheme', () => {
  it('serves the built page and its assets', () => {
    expect(appAssetPath('app://oauth-desk/index.html', rendererDir)).toBe(join(rendererDir, 'index.html'));
    expect(appAssetPath('app://oauth-desk/', rendererDir)).toBe(join(rendererDir, 'index.html'));
    expect(appAssetPath('app://oauth-desk/assets/index-abc123.js?v=1', rendererDir)).toBe(
      join(rendererDir, 'assets', 'index-abc123.js'),
    );
  });

  it('a path with .. cannot read files outside the renderer folder', () => {
    for (const url of [
      'app://oauth-desk/../../../../etc/passwd',
      'app://oauth-desk/assets/%2e%2e/%2e%2e/%2e%2e/main/index.js',
      'app://oauth-desk/%2e%2e%2f%2e%2e%2fworkspace.db',
      'app://oauth-desk/assets/..%2f..%2f..%2fmain%2findex.js',
    ]) {
      const file = appAssetPath(url, rendererDir);
      if (file !== null) expect(file.startsWith(rendererDir + sep), `${url} → ${file}`).toBe(true);
    }
    expect(appAssetPath('app://oauth-desk/%2e%2e%2f%2e%2e%2fworkspace.db', rendererDir)).toBeNull();
  });

  it('backslashes and NUL bytes in a path are refused', () => {
    expect(appAssetPath('app://oauth-desk/..%5C..%5Cworkspace.db', rendererDir)).toBeNull();
    expect(appAssetPath('app://oauth-desk/index.html%00.png', rendererDir)).toBeNull();
  });

  it('another host or scheme gets nothing', () => {
    expect(appAssetPath('app://evil/index.html', rendererDir)).toBeNull();
    expect(appAssetPath('file:///opt/oauth-desk/out/renderer/index.html', rendererDir)).toBeNull();
    expect(appAssetPath('not a url', rendererDir)).toBeNull();
    expect(appAssetPath('app://oauth-desk/%E0%A4%A', rendererDir)).toBeNull();
  });
});
