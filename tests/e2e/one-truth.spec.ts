// One truth: the window and the CLI work on one owner. A change made with oauth-desk in a terminal reaches the open
// window through main's event, with no reload and no poll.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { test, expect } from './fixtures';

const BIN = resolve(import.meta.dirname, '../../bin/oauth-desk.mjs');

function cli(desk: { home: string; keychainService: string }, args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, OAUTH_DESK_HOME: desk.home, OAUTH_DESK_KEYCHAIN_SERVICE: desk.keychainService },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

test('an application created and deleted in a terminal shows in the open window at once', async ({
  app: page,
  desk,
}) => {
  // A mark on the page: a reload would wipe it.
  await page.evaluate(() => {
    (window as unknown as { mark: string }).mark = 'still the same page';
  });
  const status = await cli(desk, ['owner', 'status', '--json']);
  expect(JSON.parse(status.stdout)).toMatchObject({ owner: { kind: 'desktop', pid: process.pid } });

  const created = await cli(desk, ['apps', 'create', 'Made in a terminal', '--app-scope', 'OR.Jobs', '--json']);
  expect(created.stderr).toBe('');
  const id = (JSON.parse(created.stdout) as { app: { id: string } }).app.id;
  const row = page.locator(`[data-testid="app-row"][data-app-id="${id}"]`);
  await expect(row).toContainText('Made in a terminal');

  expect((await cli(desk, ['apps', 'delete', id])).code).toBe(0);
  await expect(row).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { mark?: string }).mark)).toBe('still the same page');
});
