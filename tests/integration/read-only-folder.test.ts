// A read-only data folder still reads. A data folder the CLI filled (a real background owner, the real keychain) is
// seen through a read-only bind mount of itself, as a read-only volume or a folder on a read-only disk is: the CLI as
// real processes and the dispatch the window uses read its workspace, say in one line that changes are disabled and
// why, and refuse a change with that sentence, with no stack trace and nothing written.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { connectToOwner } from '../../src/node/ownerClient';
import { ownerPaths } from '../../src/node/ownerDoor';
import { cliOf, freePort, stopBackgroundOwner, useDeskHome, type CliRun } from './support';

/** `folder` again, mounted read-only at a folder of its own; null where this process may not mount (not root). */
function readOnlyView(folder: string): string | null {
  const view = mkdtempSync(join(tmpdir(), 'oauth-desk-ro-'));
  try {
    execFileSync('mount', ['--bind', folder, view], { stdio: 'ignore' });
  } catch {
    rmdirSync(view);
    return null;
  }
  try {
    execFileSync('mount', ['-o', 'remount,ro,bind', view], { stdio: 'ignore' });
    return view;
  } catch {
    unmount(view);
    return null;
  }
}

function unmount(view: string): void {
  execFileSync('umount', [view], { stdio: 'ignore' });
  // Not recursive: were the mount still there, that would empty the folder under it.
  rmdirSync(view);
}

/** Every file of the folder with its size and modification time: what a read must leave as it found it. */
function snapshot(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .sort()
    .map((name) => {
      const stats = statSync(join(folder, name));
      return `${name} ${stats.size} ${stats.mtimeMs}`;
    });
}

/** Whether the process has ended (a zombie nobody waited for has too). */
function ended(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}

/** The background owner of `folder` stopped (asked, or killed) and gone, its lock's journal with it. */
async function endOwner(folder: string, how: 'ask' | 'kill'): Promise<void> {
  const owner = await connectToOwner(ownerPaths(folder), folder);
  if (!owner) return;
  const { pid } = owner.hello;
  owner.close();
  if (how === 'ask') await stopBackgroundOwner(folder);
  else process.kill(pid, 'SIGKILL');
  await vi.waitFor(() => expect(ended(pid)).toBe(true), { timeout: 10_000 });
}

function expectNoStackTrace(run: CliRun): void {
  expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/\n\s+at |Error:|EROFS:/);
}

const reason = 'its file system is mounted read-only, EROFS';
const sentenceOf = (view: string) =>
  `This data folder is read-only (${view}: ${reason}): changes are disabled; the applications cached in its workspace can still be read.`;

describe('a read-only data folder', { timeout: 180_000 }, () => {
  const desk = useDeskHome();
  let port = 0;
  let view: string | null = null;
  let appId = '';

  beforeAll(async () => {
    port = await freePort();
    const cli = cliOf(desk, port);
    const created = await cli(['apps', 'create', 'Invoice sync', '--app-scope', 'OR.Jobs', '--json']);
    expect(created.code, created.stderr).toBe(0);
    appId = (JSON.parse(created.stdout) as { app: { id: string } }).app.id;
    await endOwner(desk.home, 'ask');
    view = readOnlyView(desk.home);
  });
  afterAll(() => {
    if (view) unmount(view);
  });

  it('lists and shows the cached applications from the CLI, with one line saying why changes are disabled', async (context) => {
    if (!view) return context.skip('no read-only bind mount can be made here (needs root with CAP_SYS_ADMIN)');
    const cli = cliOf({ home: view, keychainService: desk.keychainService }, port);
    const before = snapshot(desk.home);

    const listed = await cli(['apps', 'list', '--cached']);
    expectNoStackTrace(listed);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${appId}\\s+Invoice sync\\s+Confidential`));
    expect(listed.stderr).toBe(`oauth-desk: ${sentenceOf(view)}\n`);

    const shown = await cli(['apps', 'get', appId]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Name:               Invoice sync');
    expect(shown.stdout).toContain('Application scopes: OR.Jobs');
    expect(shown.stderr).toBe(`oauth-desk: ${sentenceOf(view)}\n`);

    const secrets = await cli(['apps', 'secrets', appId]);
    expect(secrets.code).toBe(0);
    expect(secrets.stdout).toContain(`${desk.keychainService} / local/${appId}/`);

    // A change is refused before it starts, with that sentence alone.
    const created = await cli(['apps', 'create', 'Payroll sync', '--app-scope', 'OR.Jobs']);
    expectNoStackTrace(created);
    expect(created.code).toBe(1);
    expect(created.stdout).toBe('');
    expect(created.stderr).toBe(`oauth-desk: ${sentenceOf(view)}\n`);

    // No owner was started and nothing in the folder changed.
    expect(await connectToOwner(ownerPaths(view), view)).toBeNull();
    expect(snapshot(desk.home)).toEqual(before);
  });

  it('answers the window from the cache and refuses a change with the sentence, through the one dispatch', async (context) => {
    if (!view) return context.skip('no read-only bind mount can be made here (needs root with CAP_SYS_ADMIN)');
    const { context: app, call } = await desk.open({ home: view });
    expect(app.readOnly).toBe(sentenceOf(view));
    for (const refresh of [false, true]) {
      const list = await call('listApps', { refresh });
      expect(list.map((a) => a.name)).toContain('Invoice sync');
    }
    expect((await call('getApp', { clientId: appId })).name).toBe('Invoice sync');
    const refused = await call('createApp', {
      name: 'Payroll sync',
      isConfidential: true,
      scopes: [{ name: 'OR.Jobs', type: 'application' }],
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).message).toBe(sentenceOf(view));
    await app.close();
  });

  it('reads the last changes of a workspace whose owner was killed, from its WAL', async (context) => {
    const cli = cliOf(desk, port);
    const created = await cli(['apps', 'create', 'Killed sync', '--app-scope', 'OR.Jobs']);
    expect(created.code, created.stderr).toBe(0);
    await endOwner(desk.home, 'kill');
    expect(readdirSync(desk.home)).toContain('workspace.db-wal');
    const killedView = readOnlyView(desk.home);
    if (!killedView) return context.skip('no read-only bind mount can be made here (needs root with CAP_SYS_ADMIN)');
    try {
      const listed = await cliOf(
        { home: killedView, keychainService: desk.keychainService },
        port,
      )(['apps', 'list', '--cached']);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toContain('Killed sync');
      expect(listed.stderr).toBe(`oauth-desk: ${sentenceOf(killedView)}\n`);
    } finally {
      unmount(killedView);
    }
  });
});
