// Words and numbers agree: a scope set's coverage names what an organisation lacks, inside its column; a secret's row
// has no two "Copy" buttons meaning different things; a draft opened in the wizard says it is one, with its problems;
// an import's Create row says what the new application gets. Screens at both sizes.
import { expect as baseExpect } from '@playwright/test';
import { test, expect } from './fixtures';
import { openApplication, registerApp, secretRows } from './application';
import { chooseImportFile, exportOf } from './import-file';
import { shootAtBothSizes } from './shots';

test('a scope set’s coverage says what is lacking, in text that stays clear of Apply…', async ({ app: page, desk }) => {
  await desk.call('saveScopeSet', {
    name: 'Legacy monitoring',
    description: 'Jobs, and a scope the embedded catalogue never had',
    scopes: [
      { name: 'OR.Jobs.Read', type: 'user' },
      { name: 'OR.Legacy.Scope', type: 'user' },
    ],
  });
  // The embedded organisation's catalogue, once cached, is what the set is judged against.
  await desk.call('listCatalogue', { refresh: true });
  await page.getByRole('menuitem', { name: 'Scope Sets' }).click();
  await expect(page.getByRole('heading', { name: 'Scope Sets' })).toBeVisible();
  const row = page.getByTestId('scope-set-row').filter({ hasText: 'Legacy monitoring' });
  const lacks = row.getByTestId('lacks');
  await expect(lacks).toHaveText('Local Identity Server: lacks OR.Legacy.Scope');
  for (const size of [
    { width: 1024, height: 700 },
    { width: 1280, height: 800 },
  ]) {
    await page.setViewportSize(size);
    const words = await lacks.boundingBox();
    const apply = await row.getByTestId('apply-set').boundingBox();
    baseExpect(words && apply).toBeTruthy();
    // The words end before Apply… begins: wrapped in their column, never running under it.
    baseExpect(words!.x + words!.width).toBeLessThanOrEqual(apply!.x);
  }
  await shootAtBothSizes(page, 'scope-sets-coverage-lacks');
});

test('a secret’s row names each Copy: the secret, and the keychain entry', async ({ app: page, desk }) => {
  const { app } = await registerApp(desk, {
    name: 'Copy words',
    isConfidential: true,
    scopes: [{ name: 'OR.Jobs.Read', type: 'application' }],
  });
  await openApplication(page, app.id);
  const row = secretRows(page).first();
  await expect(row.getByRole('button', { name: 'Copy', exact: true })).toHaveCount(0);
  const labels = (await row.getByRole('button').allInnerTexts()).map((t) => t.trim()).filter((t) => /copy/i.test(t));
  expect(labels.sort()).toEqual(['Copy entry', 'Copy secret']);
  await page.getByTestId('secrets-section').scrollIntoViewIfNeeded();
  await shootAtBothSizes(page, 'secret-row-copies');
});

test('a draft opened in the wizard is marked as a draft, with what the rules refuse', async ({ app: page, desk }) => {
  await desk.call('saveDraft', {
    name: 'Half-done dashboard',
    isConfidential: false,
    redirectUri: null,
    scopes: [{ name: 'OR.Jobs.Read', type: 'user' }],
  });
  // The list reads the drafts as it opens.
  await page.getByRole('menuitem', { name: 'Scope Sets' }).click();
  await page.getByRole('menuitem', { name: 'External Applications' }).click();
  const draft = page.getByTestId('draft-row').filter({ hasText: 'Half-done dashboard' });
  await draft.getByTestId('draft-open').click();
  await expect(page.getByRole('heading', { name: 'Draft: Half-done dashboard' })).toBeVisible();
  await expect(page.getByTestId('draft-problems')).toContainText('Redirect URL');
  // The organisation by its display name in the problem's sentence, never its ID.
  await expect(page.getByTestId('draft-problems')).toContainText('catalogue of Local Identity Server');
  await shootAtBothSizes(page, 'wizard-draft');
  // A new application is not a draft.
  await page.getByRole('menuitem', { name: 'External Applications' }).click();
  await page.getByTestId('add-application').first().click();
  await expect(page.getByRole('heading', { name: 'Add Application' })).toBeVisible();
  await expect(page.getByTestId('draft-problems')).toHaveCount(0);
});

test('an import’s Create row says the type, the scopes by type and the redirect URL', async ({ app: page }) => {
  const dialog = await chooseImportFile(
    page,
    exportOf(
      [
        {
          client_name: 'Imported portal',
          token_endpoint_auth_method: 'none',
          redirect_uris: ['https://portal.example.com/callback'],
          resources: [{ name: 'OrchestratorApiUserAccess', user_scopes: ['OR.Jobs.Read'], application_scopes: [] }],
        },
      ],
      { id: 'elsewhere', org_name: 'elsewhere', base_url: 'https://cloud.example.com' },
    ),
  );
  const create = dialog.locator('[data-testid="plan-entry"][data-action="create"]');
  await expect(create.getByTestId('plan-type')).toHaveText('Non-confidential');
  await expect(create.getByTestId('change-line')).toHaveText([
    'User scopes: OR.Jobs.Read',
    'Application scopes: none',
    'Redirect URL: https://portal.example.com/callback',
  ]);
  await shootAtBothSizes(page, 'import-create-row');
});
