// The window's side of the security review: the Copy of a secret shown once goes through main (and is cleared as every
// copy), and the page cannot choose where main writes a file, through the same bridge the window uses.
import { existsSync } from 'node:fs';
import { test, expect } from './fixtures';
import { ORCHESTRATOR, fillWizard, openWizard, result } from './wizard';

test("the new secret's Copy puts it on main's clipboard, to be cleared, never through the page", async ({
  app: page,
  desk,
}) => {
  await openWizard(page);
  await fillWizard(page, {
    name: 'Copied through main',
    confidential: true,
    scopes: [{ resource: ORCHESTRATOR, application: ['OR.Jobs'] }],
  });
  await page.getByTestId('submit-application').click();
  const dialog = result(page);
  await expect(dialog).toBeVisible();
  const secret = await dialog.getByTestId('result-secret').locator('input').inputValue();
  expect(desk.clipboard.text).toBe('');

  await dialog.getByTestId('copy-secret').click();
  await expect(page.getByText(`cleared in ${desk.clipboardClearAfterSeconds} seconds`)).toBeVisible();
  // The clipboard main writes to (and clears) holds it: the page's own clipboard was not used.
  expect(desk.clipboard.text).toBe(secret);
});

test('the page cannot choose the path of an export: refused at the door, naming the field, nothing written', async ({
  app: page,
  desk,
}) => {
  const { app } = await desk.call('createApp', {
    name: 'Exported from the page',
    isConfidential: true,
    scopes: [{ name: 'OR.Jobs', type: 'application' }],
  });
  const target = `${desk.exportsDir}/chosen-by-the-page.md`;
  const answer = await page.evaluate(
    ([clientId, path]) =>
      (window as unknown as { api: { exportHandoff(input: unknown): Promise<unknown> } }).api.exportHandoff({
        clientId,
        format: 'md',
        path,
      }),
    [app.id, target] as const,
  );
  expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ field: 'path' }] } });
  expect(desk.savedPaths).toEqual([]);
  expect(existsSync(target)).toBe(false);
});
