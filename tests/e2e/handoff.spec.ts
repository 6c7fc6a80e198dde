// The developer handoff sheet: type, App ID, scopes under each type, URLs, where the secret is; Copy secret from the
// keychain; exports written where the save dialog said, the .env with the secret only after the warning.
import { readFileSync } from 'node:fs';
import { test, expect, SCREENSHOTS } from './fixtures';
import { shootAtBothSizes } from './shots';
import { confirmation, openApplication, registerApp } from './application';

test('the handoff sheet and its Markdown, JSON and .env exports', async ({ app: page, desk }) => {
  // The same scope under both types: the sheet shows which is which.
  const { app, secret } = await registerApp(desk, {
    name: 'Handoff app',
    scopes: [
      { name: 'OR.Jobs.Read', type: 'application' },
      { name: 'OR.Jobs.Read', type: 'user' },
    ],
    redirectUri: 'https://handoff.example.com/callback',
  });
  const organisation = await desk.call('showOrganisation', {});
  await openApplication(page, app.id);
  await page.getByTestId('open-handoff').click();
  const sheet = page.getByTestId('handoff');
  const details = sheet.getByTestId('handoff-details');
  await expect(details).toContainText('Confidential');
  await expect(sheet.getByTestId('handoff-app-id')).toHaveText(app.id);
  await expect(sheet.getByTestId('handoff-user-scopes')).toContainText('OR.Jobs.Read user');
  await expect(sheet.getByTestId('handoff-application-scopes')).toContainText('OR.Jobs.Read application');
  await expect(details).toContainText('https://handoff.example.com/callback');
  await expect(sheet.getByTestId('handoff-token-url')).toHaveText(organisation.tokenUrl);
  await expect(details).toContainText(organisation.authorizeUrl);
  await expect(sheet.getByTestId('handoff-keychain')).toContainText(
    `${secret!.keychain.service} / ${secret!.keychain.account}`,
  );
  await page.screenshot({ path: `${SCREENSHOTS}/handoff.png` });
  await shootAtBothSizes(page, 'handoff');

  // Copy secret: from the keychain, through main, onto the clipboard; never through the page.
  await sheet.getByTestId('handoff-copy-secret').click();
  await expect(page.getByText(/^Copied; the clipboard is cleared in \d+ seconds\.$/)).toBeVisible();
  expect(desk.clipboard.text).toBe(secret!.value);

  const saved = sheet.getByTestId('export-saved');
  const exportAs = async (testId: string) => {
    const before = desk.savedPaths.length;
    await sheet.getByTestId(testId).click();
    await expect.poll(() => desk.savedPaths.length).toBe(before + 1);
    const path = desk.savedPaths.at(-1)!;
    await expect(saved).toContainText(path);
    return readFileSync(path, 'utf8');
  };

  const markdown = await exportAs('export-md');
  expect(markdown).toContain(app.id);
  expect(markdown).toContain(organisation.tokenUrl);
  expect(markdown).not.toContain(secret!.value);

  const json = JSON.parse(await exportAs('export-json')) as Record<string, unknown>;
  expect(JSON.stringify(json)).toContain(app.id);
  expect(JSON.stringify(json)).not.toContain(secret!.value);

  // .env without the secret by default.
  const plainEnv = await exportAs('export-env');
  expect(plainEnv).toContain(`OAUTH_CLIENT_ID="${app.id}"`);
  expect(plainEnv).toContain('OAUTH_CLIENT_SECRET=\n');
  expect(plainEnv).not.toContain(secret!.value);

  // The secret is one choice, left out by default: plain text in the .env, or encrypted, never both.
  const choice = sheet.getByTestId('secret-choice');
  await expect(choice.getByRole('radio')).toHaveCount(3);
  await expect(sheet.getByRole('checkbox')).toHaveCount(0);
  await expect(sheet.getByTestId('leave-secret-out')).toHaveClass(/n-radio--checked/);
  // Choosing the plain-text secret warns first; Cancel leaves it out.
  const include = sheet.getByTestId('include-secret');
  await include.click();
  const warning = confirmation(page, 'plain text');
  await expect(warning).toContainText('keep it out of source control');
  await warning.getByRole('button', { name: 'Cancel' }).click();
  await expect(include).not.toHaveClass(/n-radio--checked/);
  await expect(sheet.getByTestId('leave-secret-out')).toHaveClass(/n-radio--checked/);
  expect(await exportAs('export-env')).not.toContain(secret!.value);

  await include.click();
  await page.screenshot({ path: `${SCREENSHOTS}/handoff-include-secret.png` });
  await confirmation(page, 'plain text').getByRole('button', { name: 'Include the secret' }).click();
  await expect(include).toHaveClass(/n-radio--checked/);
  await expect(sheet.getByTestId('age-handoff')).toHaveCount(0);
  const secretEnv = await exportAs('export-env');
  expect(secretEnv).toContain(`OAUTH_CLIENT_SECRET="${secret!.value}"`);
  // Encrypted instead: the plain-text choice goes, and the .env carries no secret again.
  await sheet.getByTestId('include-secret-age').click();
  await expect(include).not.toHaveClass(/n-radio--checked/);
  await expect(sheet.getByTestId('age-handoff')).toBeVisible();
  expect(await exportAs('export-env')).not.toContain(secret!.value);
  await shootAtBothSizes(page, 'handoff-secret-choice');

  // A cancelled save dialog writes nothing and says nothing was saved.
  desk.cancelSave = true;
  const count = desk.savedPaths.length;
  await sheet.getByTestId('export-md').click();
  await expect(sheet.getByTestId('export-md')).not.toHaveClass(/n-button--loading/);
  expect(desk.savedPaths.length).toBe(count);
});

test('a non-confidential app’s handoff has no secret and no Copy secret', async ({ app: page, desk }) => {
  const { app } = await registerApp(desk, {
    name: 'Browser app',
    isConfidential: false,
    scopes: [{ name: 'OR.Folders.Read', type: 'user' }],
    redirectUri: 'http://127.0.0.1:8765/callback',
  });
  await openApplication(page, app.id);
  await expect(page.getByTestId('secrets-section')).toHaveCount(0);
  await page.getByTestId('open-handoff').click();
  const sheet = page.getByTestId('handoff');
  await expect(sheet.getByTestId('handoff-details')).toContainText('Non-confidential');
  await expect(sheet.getByTestId('handoff-details')).toContainText('PKCE');
  await expect(sheet.getByTestId('handoff-copy-secret')).toHaveCount(0);
  await expect(sheet.getByTestId('include-secret')).toHaveCount(0);
});
