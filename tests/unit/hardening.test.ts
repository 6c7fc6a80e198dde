// The security review's fixes as pure decisions, each named after the attack it stops: the page choosing where main
// writes, names that inject lines into exports, windows opened from the page, the CSP of the app scheme, tokens at rest
// in the Identity Server's database, and the packaging of the shipped binary.
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openIdentityDatabase } from '../../src/identity-server/store/database';
import { OidcModelAdapter, recordKey } from '../../src/identity-server/store/oidcModels';
import { denyWindowOpen, pageInputRefusal } from '../../src/main/security';
import { writePrivately } from '../../src/node/privateFiles';
import { handoffDocument } from '../../src/main/services/handoff';
import { DOCUMENTATION_URL, linkUrl } from '../../src/main/services/links';
import { openDatabase } from '../../src/main/workspace/database';
import type { OrganisationRecord } from '../../src/main/workspace/organisations';
import { CONTENT_SECURITY_POLICY, withSecurityHeaders } from '../../src/main/window';
import type { Result } from '../../src/shared/errors';
import type { Handoff } from '../../src/shared/model';
import { checkName, checkSecretDescription, checkUser, hasControlCharacter } from '../../src/shared/rules';

// Electron's binary cannot run in a unit test: ipcMain is not used by answerIpc, so an empty stand-in is enough.
vi.mock('electron', () => ({ ipcMain: {} }));
const { answerIpc } = await import('../../src/main/ipc');

const ROOT = resolve(import.meta.dirname, '../..');
const folders: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-desk-hardening-'));
  folders.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe('the page cannot choose where main writes', () => {
  const appUrl = 'app://oauth-desk/index.html';
  const fromApp = { senderFrame: { url: appUrl, parent: null } } as const;

  it('refuses an export path sent through the IPC door, before dispatch, naming the field', async () => {
    const reached: unknown[] = [];
    const dispatch = (_operation: string, input: unknown): Promise<Result<unknown>> => {
      reached.push(input);
      return Promise.resolve({ ok: true, value: { path: '/home/me/.bashrc' } });
    };
    for (const operation of ['exportHandoff', 'exportRegistrationsFile'] as const) {
      const answer = await answerIpc(dispatch, appUrl, fromApp as never, operation, {
        clientId: 'a',
        format: 'env',
        path: '/home/me/.bashrc',
      });
      expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ field: 'path' }] } });
    }
    expect(reached).toEqual([]);
    // Without a path, main asks with the save dialog: the message goes through.
    expect(
      await answerIpc(dispatch, appUrl, fromApp as never, 'exportHandoff', { clientId: 'a', format: 'md' }),
    ).toEqual({ ok: true, value: { path: '/home/me/.bashrc' } });
  });

  it('decides by own fields only: an inherited or unrelated "path" is not the page choosing a file', () => {
    expect(pageInputRefusal('exportHandoff', Object.create({ path: '/etc/passwd' }) as unknown)).toBeNull();
    expect(pageInputRefusal('createApp', { path: '/x' })).toBeNull();
    expect(pageInputRefusal('__proto__', { path: '/x' })).toBeNull();
    expect(pageInputRefusal('exportHandoff', null)).toBeNull();
  });

  it('the e2e bridge refuses it the same way as IPC', () => {
    const bridge = readFileSync(join(ROOT, 'tests/e2e/attach.ts'), 'utf8');
    expect(bridge).toMatch(/pageInputRefusal\(operation, input\)/);
  });
});

describe('control characters are refused by the shared rules, naming the field', () => {
  const hostile = [
    'a\nb',
    'a\rb',
    'a\tb',
    'a\u0000b',
    'a\u001bb',
    'a\u007fb',
    'a\u0085b',
    'a\u009fb',
    'a\u2028b',
    'a\u2029b',
  ];

  it.each(hostile)('%j', (text) => {
    expect(hasControlCharacter(text)).toBe(true);
    expect(checkName(text).errors).toEqual([
      { field: 'name', message: expect.stringMatching(/control characters/) as unknown },
    ]);
    expect(checkSecretDescription(text).errors[0]?.field).toBe('description');
    expect(checkUser({ userName: 'alice', password: 'long enough', displayName: text }).errors[0]?.field).toBe(
      'displayName',
    );
  });

  it('lets every other character through, in any script', () => {
    for (const text of ['Invoice bot', 'Ünïcødé 名前 😀', 'quotes " and \' and `ticks`', 'a\u00a0b'])
      expect({ text, errors: checkName(text).errors }).toEqual({ text, errors: [] });
    expect(checkSecretDescription(null).errors).toEqual([]);
  });
});

describe('every export escapes what it writes', () => {
  const hostileName =
    'Bot\n# Injected heading\nOAUTH_CLIENT_SECRET="stolen" | `code` <img src=x> [link](https://evil.example)\u2028';
  const handoff: Handoff = {
    organisation: 'acme',
    appId: 'app-1',
    name: hostileName,
    applicationType: 'Confidential',
    userScopes: ['OR.Jobs'],
    applicationScopes: ['OR.Jobs'],
    redirectUri: 'https://app.example.com/cb?x=`y`|z',
    issuer: 'https://cloud.example.com/acme/identity_',
    tokenUrl: 'https://cloud.example.com/acme/identity_/connect/token',
    authorizeUrl: 'https://cloud.example.com/acme/identity_/connect/authorize',
    secrets: [],
    federatedCredentials: [],
    pipelines: [],
    secretless: false,
  };

  it('.env: every line is a comment or a setting, values quoted and escaped; a name cannot add a setting', () => {
    const env = handoffDocument(handoff, 'acme\nEVIL=1', 'env', { id: '41872', value: 'va"l\\ue$HOME\nX=1' });
    const lines = env.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^(#.*|[A-Z_]+=(|"([^"\\]|\\.)*"))$/);
    expect(lines.filter((line) => line.startsWith('OAUTH_CLIENT_SECRET='))).toEqual([
      'OAUTH_CLIENT_SECRET="va\\"l\\\\ue\\$HOME\\nX=1"',
    ]);
    expect(lines.some((line) => line.startsWith('EVIL=') || line.startsWith('X='))).toBe(false);
  });

  it('Markdown: the name stays in its heading, marks up nothing, and code spans hold their backticks', () => {
    const md = handoffDocument(handoff, 'acme', 'md');
    const headings = md.split('\n').filter((line) => line.startsWith('#'));
    expect(headings[0]).toMatch(/^# Bot \\# Injected heading OAUTH\\_CLIENT\\_SECRET=/);
    expect(headings.slice(1)).toEqual([
      '## Secret',
      '## Getting a token (client credentials)',
      '## Signing a user in (authorization code)',
    ]);
    // Markup characters are escaped: no HTML tag, no link, no code span opened by the name.
    expect(md).toContain('\\`code\\` \\<img src=x\\> \\[link\\](https://evil.example)');
    expect(md).toContain('| Redirect URL | ``https://app.example.com/cb?x=`y`\\|z`` |');
    expect(hasControlCharacter(md.replaceAll('\n', ''))).toBe(false);
  });

  it('JSON: parses back to the same handoff, with no raw line separator a script embedding it would break on', () => {
    const json = handoffDocument(handoff, 'acme', 'json');
    expect(JSON.parse(json)).toEqual(handoff);
    expect(json).not.toMatch(/[\u2028\u2029\u007f-\u009f]/);
  });
});

describe('an export is a new private file renamed into place, never through a link', () => {
  it('replaces an existing file with a 0600 one, and leaves no temporary file', () => {
    const dir = tempDir();
    const file = join(dir, 'handoff.md');
    writeFileSync(file, 'old');
    chmodSync(file, 0o644);
    writePrivately(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['handoff.md']);
  });

  it('refuses a symbolic link, dangling or not, and writes nothing where it points', () => {
    const dir = tempDir();
    const victim = join(dir, 'bashrc');
    writeFileSync(victim, 'untouched');
    symlinkSync(victim, join(dir, 'link'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    for (const link of ['link', 'dangling'])
      expect(() => writePrivately(join(dir, link), 'x')).toThrow(/symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
  });

  it('refuses a folder, and a folder that does not exist, naming the path', () => {
    const dir = tempDir();
    expect(() => writePrivately(dir, 'x')).toThrow(/not a file/);
    expect(() => writePrivately(join(dir, 'missing', 'x.md'), 'x')).toThrow(
      /Cannot write .*\(its folder does not exist; ENOENT\)\.$/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the window opens nothing itself', () => {
  it('denies every window.open, whatever the address', () => {
    expect(denyWindowOpen()).toEqual({ action: 'deny' });
    const index = readFileSync(join(ROOT, 'src/main/index.ts'), 'utf8');
    expect(index).toContain('setWindowOpenHandler(denyWindowOpen)');
    // shell.openExternal is reached only through the BrowserOpener, behind isSafeExternalUrl.
    expect(index.match(/shell\.openExternal\(/g)).toHaveLength(1);
    expect(index).toMatch(/if \(!isSafeExternalUrl\(url\)\)[\s\S]{0,200}shell\.openExternal\(url\)/);
  });

  it('builds each link in main: the documentation, and a portal from the organisation’s record only', () => {
    const remote = { id: 'acme', isLocal: false, baseUrl: 'https://cloud.uipath.com', orgName: 'acme corp' };
    expect(linkUrl('documentation', remote as OrganisationRecord)).toBe(DOCUMENTATION_URL);
    expect(linkUrl('portal', remote as OrganisationRecord)).toBe(
      'https://cloud.uipath.com/acme%20corp/portal_/admin/external-apps/oauth',
    );
    expect(linkUrl('portal', { ...remote, isLocal: true } as OrganisationRecord)).toBeNull();
  });
});

describe('the app scheme sends the CSP as a header', () => {
  it('adds the one CSP and nosniff to every response, keeping status and body', async () => {
    const response = withSecurityHeaders(
      new Response('<p>hi</p>', { status: 404, headers: { 'content-type': 'text/html' } }),
    );
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(await response.text()).toBe('<p>hi</p>');
  });

  it('is wired into the protocol handler', () => {
    const index = readFileSync(join(ROOT, 'src/main/index.ts'), 'utf8');
    expect(index).toMatch(/protocol\.handle\(APP_SCHEME[\s\S]*withSecurityHeaders\(await net\.fetch/);
  });
});

describe('packaging', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
    devDependencies: Record<string, string>;
  };

  it('builds with electron-builder from devDependencies at an exact version, never a floating npx download', () => {
    expect(pkg.devDependencies['electron-builder']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.scripts.dist).toContain('electron-builder --config electron-builder.yml');
    expect(Object.values(pkg.scripts).join('\n')).not.toMatch(/npx\s+(--yes\s+)?electron-builder/);
  });

  it('flips every Electron fuse that would turn the shipped binary into a plain Node or a debuggable process', () => {
    // electron-builder.yml is read by its lines: no YAML parser is a dependency, and the block is flat.
    const lines = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8').split('\n');
    const start = lines.indexOf('electronFuses:');
    expect(start).toBeGreaterThanOrEqual(0);
    const fuses: Record<string, string> = {};
    for (const line of lines.slice(start + 1)) {
      const entry = /^ {2}(\w+):\s*(\S+)\s*$/.exec(line);
      if (!entry) break;
      fuses[entry[1]!] = entry[2]!;
    }
    expect(fuses).toEqual({
      runAsNode: 'false',
      enableCookieEncryption: 'true',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      grantFileProtocolExtraPrivileges: 'false',
    });
  });
});

describe('tokens at rest in the Identity Server', () => {
  const dataDir = tempDir();
  const db = openIdentityDatabase(dataDir);
  afterAll(() => db.close());
  const rows = () => db.prepare('SELECT model, id, payload, uid FROM oidc_model').all() as Record<string, string>[];
  const REFRESH = 'rt_7dQw9Zk3LmN8pR2sT5vX1yA4bC6eF0gH';

  it('keys a record by the SHA-256 of its ID, keeps no copy of the ID, and finds it by the ID alone', async () => {
    const tokens = new OidcModelAdapter(db, 'RefreshToken');
    await tokens.upsert(
      REFRESH,
      { jti: REFRESH, kind: 'RefreshToken', grantId: 'g1', clientId: 'app', accountId: 'alice' },
      60,
    );
    expect(rows()).toEqual([expect.objectContaining({ model: 'RefreshToken', id: recordKey(REFRESH) })]);
    expect(JSON.stringify(rows())).not.toContain(REFRESH);
    expect(await tokens.find(REFRESH)).toMatchObject({ jti: REFRESH, grantId: 'g1', accountId: 'alice' });
    expect(await tokens.find(recordKey(REFRESH))).toBeUndefined();
    await tokens.consume(REFRESH);
    expect(await tokens.find(REFRESH)).toMatchObject({ consumed: expect.any(Number) as unknown });
    await tokens.revokeByGrantId('g1');
    expect(await tokens.find(REFRESH)).toBeUndefined();
  });

  it('keeps no ID inside other fields (an interaction’s returnTo), nor the session cookie an interaction copies', async () => {
    const uid = 'interaction_uid_Qm2kP9xZ7wR4tY1u';
    const sessionCookie = 'session_cookie_Lk8jH5gF3dS1aZ0x';
    const interactions = new OidcModelAdapter(db, 'Interaction');
    await interactions.upsert(
      uid,
      {
        jti: uid,
        kind: 'Interaction',
        returnTo: `https://id.example.com/auth/${uid}`,
        session: { uid: 's-uid', cookie: sessionCookie, accountId: 'alice' },
      },
      60,
    );
    expect(JSON.stringify(rows())).not.toContain(uid);
    expect(JSON.stringify(rows())).not.toContain(sessionCookie);
    expect(await interactions.find(uid)).toMatchObject({ jti: uid, returnTo: `https://id.example.com/auth/${uid}` });
  });

  it('finds a session by its uid without revealing its ID, and can still save and end it', async () => {
    const sessionId = 'session_id_Wq3eR5tY7uI9oP1a';
    const sessions = new OidcModelAdapter(db, 'Session');
    await sessions.upsert(sessionId, { jti: sessionId, kind: 'Session', uid: 'uid-1', accountId: 'alice' }, 60);
    const found = await sessions.findByUid('uid-1');
    expect(found).toMatchObject({ uid: 'uid-1', accountId: 'alice' });
    expect(found?.jti).not.toBe(sessionId);
    // What findByUid answers is no cookie: presented as an ID, it finds nothing.
    expect(await sessions.find(String(found?.jti))).toBeUndefined();
    await sessions.upsert(String(found?.jti), { ...found, loginTs: 1 }, 60);
    expect(await sessions.find(sessionId)).toMatchObject({ jti: sessionId, loginTs: 1 });
    expect(JSON.stringify(rows())).not.toContain(sessionId);
    await sessions.destroy(String(found?.jti));
    expect(await sessions.find(sessionId)).toBeUndefined();
  });

  it('hashes a device flow’s user code too, and finds the record by it', async () => {
    const codes = new OidcModelAdapter(db, 'DeviceCode');
    await codes.upsert(
      'device_code_Zx9cV7bN5mQ3wE1r',
      { jti: 'device_code_Zx9cV7bN5mQ3wE1r', userCode: 'WDJB-MJHT', kind: 'DeviceCode' },
      60,
    );
    expect(JSON.stringify(rows())).not.toContain('WDJB-MJHT');
    expect(await codes.findByUserCode('WDJB-MJHT')).toMatchObject({ userCode: 'WDJB-MJHT' });
  });
});

describe('the data folders are their owner’s only, at every start', () => {
  it('tightens a loosened workspace folder and database, with its -wal and -shm', () => {
    const home = tempDir();
    openDatabase(home).close();
    chmodSync(home, 0o755);
    chmodSync(join(home, 'workspace.db'), 0o644);
    const db = openDatabase(home);
    db.prepare('CREATE TABLE IF NOT EXISTS probe (x)').run();
    expect(statSync(home).mode & 0o777).toBe(0o700);
    for (const suffix of ['', '-wal', '-shm'])
      expect(statSync(join(home, `workspace.db${suffix}`)).mode & 0o777).toBe(0o600);
    db.close();
  });

  it('tightens the Identity Server’s folder and database the same way', () => {
    const dataDir = join(tempDir(), 'identity-server');
    openIdentityDatabase(dataDir).close();
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'identity.db'), 0o644);
    const db = openIdentityDatabase(dataDir);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const suffix of ['', '-wal', '-shm'])
      expect(statSync(join(dataDir, `identity.db${suffix}`)).mode & 0o777).toBe(0o600);
    db.close();
  });
});
