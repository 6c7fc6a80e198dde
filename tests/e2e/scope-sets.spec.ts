// Scope sets in the window: the Scope Sets view (a set made with the wizard's Edit Resource panel), Start from a scope
// set, Save as draft then Register, Apply to applications (the preview dialog, the progress bar with Stop, and a
// conflict held back and shown side by side), Export and Import, and the encrypted handoff. Screens at both sizes,
// and nothing may scroll sideways.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { Decrypter, armor, generateIdentity, identityToRecipient } from 'age-encryption';
import type { ExportDocument, ScopeRequest } from '../../src/shared/model';
import { test, expect, type Desk } from './fixtures';
import { confirmation, openApplication, registerBulkApps } from './application';
import { chooseImportFile } from './import-file';
import { shootAtBothSizes } from './shots';
import { ORCHESTRATOR, addScopes, openWizard, result } from './wizard';

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, 'the page scrolls sideways').toBeLessThanOrEqual(0);
}

/** Shoots at both sizes, checking at each that nothing scrolls sideways; leaves the page at 1280×800. */
async function shoot(page: Page, name: string): Promise<void> {
  await shootAtBothSizes(page, name);
  await expectNoSidewaysScroll(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await expectNoSidewaysScroll(page);
}

async function openScopeSets(page: Page): Promise<void> {
  await page.getByRole('menuitem', { name: 'Scope Sets' }).click();
  await expect(page.getByRole('heading', { name: 'Scope Sets' })).toBeVisible();
}

const MONITORING: ScopeRequest[] = [
  { name: 'OR.Jobs.Read', type: 'user' },
  { name: 'OR.Folders.Read', type: 'user' },
  { name: 'OR.Queues.Read', type: 'application' },
];

test('the Scope Sets view: a set made with the Edit Resource panel, duplicated and deleted', async ({
  app: page,
  desk,
}) => {
  await openScopeSets(page);
  await expect(page.getByTestId('scope-sets-empty')).toBeVisible();

  await page.getByTestId('new-scope-set').click();
  await expect(page.getByRole('heading', { name: 'New scope set' })).toBeVisible();
  await expect(page.getByText('No resources yet: use Add Scopes to put an API’s scopes in this set.')).toBeVisible();
  // Save with nothing: the set's rules, on their fields.
  await page.getByTestId('save-set').click();
  await expect(page.getByText('Scope set name is required.')).toBeVisible();
  await expect(page.getByText('Add at least one scope.')).toBeVisible();

  await page.getByLabel('Name', { exact: true }).fill('Orchestrator monitoring');
  await page.getByLabel('Description').fill('Read-only jobs and queues, for dashboards.');
  // The same panel as the wizard: the application scopes tab is open, a set has no type.
  await addScopes(page, { resource: ORCHESTRATOR, user: ['OR.Jobs.Read'], application: ['OR.Queues.Read'] });
  await expect(page.getByTestId('resource-row')).toHaveCount(1);
  await expect(page.getByLabel('Redirect URL')).toHaveCount(0);
  await page.getByTestId('save-set').click();

  const row = page.getByTestId('scope-set-row').filter({ hasText: 'Orchestrator monitoring' });
  await expect(row).toContainText('Read-only jobs and queues');
  await expect(row).toContainText('OR.Jobs.Read');
  await expect(row).toContainText('OR.Queues.Read');
  // The embedded organisation's catalogue holds every scope of it.
  await expect(row.getByTestId('held-by')).toBeVisible();
  const [kept] = await desk.call('listScopeSets', {});
  expect(kept?.scopes).toEqual([
    { name: 'OR.Jobs.Read', type: 'user' },
    { name: 'OR.Queues.Read', type: 'application' },
  ]);

  // Edit: the rows come back from the set, grouped by resource; a name change is kept.
  await row.getByTestId('edit-set').click();
  await expect(page.getByRole('heading', { name: 'Edit scope set' })).toBeVisible();
  await expect(page.getByTestId('resource-row')).toContainText('OR.Queues.Read');
  await page.getByLabel('Name', { exact: true }).fill('Orchestrator monitoring (read-only)');
  await page.getByTestId('save-set').click();
  await expect(page.getByTestId('scope-set-row')).toHaveCount(1);

  await page.getByTestId('scope-set-row').getByTestId('duplicate-set').click();
  const copy = page.getByTestId('scope-set-row').filter({ hasText: '(copy)' });
  await expect(copy).toBeVisible();
  await shoot(page, 'scope-sets');

  await copy.getByTestId('delete-set').click();
  const deleteSet = confirmation(page, 'Applications keep the scopes').getByRole('button', {
    name: 'Delete scope set',
  });
  // Red, as every destructive confirmation is, not the warning dialog's orange.
  await expect(deleteSet).toHaveClass(/n-button--error-type/);
  await deleteSet.click();
  await expect(page.getByTestId('scope-set-row')).toHaveCount(1);
  expect((await desk.call('listScopeSets', {})).map((s) => s.name)).toEqual(['Orchestrator monitoring (read-only)']);
});

test('Start from a scope set, Save as draft, then open the draft and Register it', async ({ app: page, desk }) => {
  await desk.call('saveScopeSet', { name: 'Monitoring', description: '', scopes: MONITORING });
  await openWizard(page);
  await page.getByTestId('start-from-set').click();
  await page.locator('.n-base-select-option', { hasText: 'Monitoring' }).click();
  const rows = page.getByTestId('resource-row');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('OR.Folders.Read');
  await expect(rows).toContainText('OR.Queues.Read');

  await page.getByLabel('Application Name').fill('Dashboard');
  await page.getByTestId('save-draft').click();
  await expect(page.getByRole('heading', { name: 'External Applications' })).toBeVisible();
  const draft = page.getByTestId('draft-row');
  await expect(draft).toContainText('Draft');
  await expect(draft).toContainText('Dashboard');
  // Saved as it is: the redirect URL the user scopes need is still missing, and the list says so.
  await expect(draft.getByTestId('draft-problem')).toContainText('Redirect URL');
  await shoot(page, 'applications-drafts');
  expect(await desk.call('listApps', {})).not.toContainEqual(expect.objectContaining({ name: 'Dashboard' }));

  // Opening it edits it in the wizard, without a server; Register creates it.
  await draft.getByTestId('draft-open').click();
  await expect(page.getByLabel('Application Name')).toHaveValue('Dashboard');
  await expect(page.getByTestId('resource-row')).toContainText('OR.Jobs.Read');
  await page.getByLabel('Redirect URL').fill('https://dashboard.example.com/callback');
  await page.getByTestId('submit-application').filter({ hasText: 'Register' }).click();
  const dialog = result(page);
  await expect(dialog).toContainText('Dashboard');
  await expect(dialog.getByTestId('result-application-scopes')).toContainText('OR.Queues.Read');
  await dialog.getByTestId('close-result').click();
  await expect(page.getByTestId('draft-row')).toHaveCount(0);
  await expect(page.getByTestId('app-row').filter({ hasText: 'Dashboard' })).toBeVisible();
  expect(await desk.call('listDrafts', {})).toEqual([]);
});

test.describe('Apply to applications', () => {
  // Four PUTs per ten seconds: the run is paced by the embedded server's limits, so its progress and Stop are seen,
  // even on a busy machine. As many PUTs per window as main writes at once, so a write waiting for the next window
  // always gets in then.
  test.use({ rateLimits: { put: 4, windowSeconds: 10 } });

  async function setUp(desk: Desk, count: number) {
    await desk.call('saveScopeSet', { name: 'Queue worker', description: 'Queues, as the app.', scopes: MONITORING });
    const ids = await registerBulkApps(desk, count);
    const { app: browser } = await desk.call('createApp', {
      name: 'Bulk browser',
      isConfidential: false,
      redirectUri: 'http://127.0.0.1:9000/callback',
      scopes: [{ name: 'OR.Assets.Read', type: 'user' }],
    });
    return { ids, browser: browser.id };
  }

  async function chooseAndPreview(page: Page): Promise<void> {
    await openScopeSets(page);
    await page.getByTestId('scope-set-row').getByTestId('apply-set').click();
    await expect(page.getByRole('heading', { name: 'Apply a scope set to applications' })).toBeVisible();
    await page.getByLabel('Filter applications').fill('bulk');
    await page.getByTestId('apply-check-shown').click();
    await page.getByTestId('apply-preview-open').click();
  }

  test('the preview per application, then the run with its progress bar and Stop', async ({ app: page, desk }) => {
    // Seventeen applications made, applied and read back: slow on a busy machine.
    test.setTimeout(120_000);
    const { ids, browser } = await setUp(desk, 16);
    await chooseAndPreview(page);
    await expect(page.getByTestId('apply-checked-count')).toHaveText('17 selected');

    const preview = page.getByTestId('scope-set-preview');
    await expect(preview).toBeVisible();
    await expect(preview.getByTestId('plan-counts')).toHaveText(/^17 applications in .+: 17 to update\.$/);
    // Said before it starts: the limits, and how long they make it take.
    await expect(preview.getByTestId('preview-estimate')).toContainText(
      'The embedded server allows 4 PUTs and 300 GETs per 10 seconds, so this takes about 42 seconds',
    );
    // The non-confidential application gets the user scopes only, and the preview says what was left out.
    const browserRow = preview.getByTestId('plan-entry').filter({ hasText: 'Bulk browser' });
    await expect(browserRow.getByTestId('change-line')).toHaveText(['Add user scopes: OR.Folders.Read, OR.Jobs.Read']);
    await expect(browserRow).toContainText(
      'A non-confidential application cannot have application scopes (OR.Queues.Read)',
    );
    await shoot(page, 'scope-set-preview');

    await preview.getByTestId('apply-preview').click();
    await expect(preview).toBeHidden();
    const progress = page.getByTestId('apply-progress');
    await expect(progress.getByTestId('apply-bar')).toBeVisible();
    await expect(progress.getByTestId('apply-count')).toContainText('applying…');
    await shoot(page, 'scope-set-apply-progress');
    await progress.getByTestId('apply-stop').click();

    await expect(progress.getByTestId('apply-summary')).toContainText('not run (stopped)', { timeout: 20_000 });
    await expect(progress.getByTestId('apply-count')).toContainText('stopped');
    const applied = progress.locator('[data-testid="apply-result"][data-outcome="applied"]');
    const notRun = progress.locator('[data-testid="apply-result"][data-outcome="notRun"]');
    expect(await applied.count()).toBeGreaterThan(0);
    expect(await notRun.count()).toBeGreaterThan(0);

    // What the window says is what the server has: each application whole, with the set's scopes or without them.
    const reported = new Map<string, string>();
    for (const row of await progress.getByTestId('apply-result').all())
      reported.set(
        (await row.locator('td').first().innerText()).trim(),
        (await row.getAttribute('data-outcome')) ?? '',
      );
    for (const id of [...ids, browser]) {
      const app = await desk.call('getApp', { clientId: id });
      const scopes = app.resources.flatMap((r) => r.scopes.map((s) => `${s.type}:${s.name}`));
      const given = scopes.includes('user:OR.Jobs.Read');
      expect(given, `${app.name} is ${reported.get(app.name)}`).toBe(reported.get(app.name) === 'applied');
      if (given) expect(scopes).toContain('user:OR.Folders.Read');
    }
  });

  test('an application changed on the server since the preview is held back and shown side by side', async ({
    app: page,
    desk,
  }) => {
    const { ids } = await setUp(desk, 3);
    await chooseAndPreview(page);
    const preview = page.getByTestId('scope-set-preview');
    await expect(preview.getByTestId('plan-counts')).toHaveText(/^4 applications in .+: 4 to update\.$/);

    // Someone else renames one while the preview is open.
    const changed = ids[1]!;
    await desk.call('updateApp', { clientId: changed, name: 'Bulk 02 renamed elsewhere' });
    await preview.getByTestId('apply-preview').click();

    const progress = page.getByTestId('apply-progress');
    await expect(progress.getByTestId('apply-summary')).toContainText('3 applied', { timeout: 20_000 });
    await expect(progress.getByTestId('apply-summary')).toContainText('1 held back as conflicts');
    const conflict = progress.getByTestId('apply-conflict');
    await expect(conflict.getByTestId('conflict-before')).toContainText('Bulk 02');
    await expect(conflict.getByTestId('conflict-before')).not.toContainText('renamed');
    await expect(conflict.getByTestId('conflict-after')).toContainText('Bulk 02 renamed elsewhere');
    await shoot(page, 'scope-set-apply-results');

    // Never overwritten: the renamed one has its own scopes still, the others the set's.
    const held = await desk.call('getApp', { clientId: changed });
    expect(held.name).toBe('Bulk 02 renamed elsewhere');
    expect(held.resources.flatMap((r) => r.scopes.map((s) => s.name))).not.toContain('OR.Jobs.Read');
    const other = await desk.call('getApp', { clientId: ids[0]! });
    expect(other.resources.flatMap((r) => r.scopes.map((s) => s.name))).toContain('OR.Jobs.Read');
  });
});

test('Export, then Import with a dry run per application, applied only on confirmation', async ({
  app: page,
  desk,
}) => {
  const { app, secret } = await desk.call('createApp', {
    name: 'Exported robot',
    isConfidential: true,
    redirectUri: null,
    scopes: [{ name: 'OR.Jobs.Read', type: 'application' }],
  });
  await desk.call('saveScopeSet', { name: 'Monitoring', description: '', scopes: MONITORING });
  await page.getByTestId('apps-refresh').click();

  // Export: main's save dialog (its stand-in here) says where; the file holds no secret.
  await page.getByTestId('registrations-as-code').click();
  await page.getByTestId('export-registrations').click();
  await expect.poll(() => desk.savedPaths.length).toBe(1);
  const exported = readFileSync(desk.savedPaths[0]!, 'utf8');
  expect(exported).toContain('"client_name": "Exported robot"');
  expect(exported).not.toContain(secret!.value);

  // The same file, edited as in git: one application changed, one added. The dry run changes nothing.
  const document = JSON.parse(exported) as ExportDocument;
  document.registrations = document.registrations.map((r) =>
    r.client_name === 'Exported robot'
      ? { ...r, resources: r.resources.map((x) => ({ ...x, application_scopes: ['OR.Jobs.Read', 'OR.Queues.Read'] })) }
      : r,
  );
  document.registrations.push({
    client_name: 'Imported browser',
    token_endpoint_auth_method: 'none',
    redirect_uris: ['http://127.0.0.1:7000/callback'],
    resources: [{ name: 'OrchestratorApiUserAccess', user_scopes: [], application_scopes: ['OR.Jobs.Read'] }],
  });
  // A file that is not an export (main checks it): refused, naming its field, and nothing is shown to import.
  await chooseImportFile(page, { ...document, version: 2 }, 'wrong.json');
  await expect(page.getByText('wrong.json cannot be imported: Version must be 1.')).toBeVisible();
  await expect(page.getByTestId('import-dialog')).toHaveCount(0);

  const dialog = await chooseImportFile(page, document);
  await expect(dialog).toContainText('dry run');
  await expect(dialog.locator('[data-testid="plan-entry"][data-action="update"]')).toContainText('Exported robot');
  // A non-confidential application with application scopes: refused, with the rule's message.
  await expect(dialog.locator('[data-testid="plan-entry"][data-action="refused"]')).toContainText(
    'A non-confidential application cannot have application scopes',
  );
  await expect(dialog.locator('[data-testid="import-scope-set"][data-action="unchanged"]')).toContainText('Monitoring');
  await shoot(page, 'import-dry-run');
  const before = await desk.call('getApp', { clientId: app.id });
  expect(before.resources.flatMap((r) => r.scopes.map((s) => s.name))).not.toContain('OR.Queues.Read');

  await dialog.getByTestId('import-apply').click();
  await expect(dialog.getByTestId('import-done')).toBeVisible();
  const after = await desk.call('getApp', { clientId: app.id });
  expect(after.resources.flatMap((r) => r.scopes.map((s) => s.name))).toContain('OR.Queues.Read');
  expect((await desk.call('listApps', {})).map((a) => a.name)).not.toContain('Imported browser');
});

test('the handoff encrypts the secret to the developer’s age key', async ({ app: page, desk }) => {
  const { app, secret } = await desk.call('createApp', {
    name: 'Age app',
    isConfidential: true,
    redirectUri: null,
    scopes: [{ name: 'OR.Jobs.Read', type: 'application' }],
  });
  const identity = await generateIdentity();
  await openApplication(page, app.id);
  await page.getByTestId('open-handoff').click();
  const sheet = page.getByTestId('handoff');
  await sheet.getByTestId('include-secret-age').click();
  const recipient = sheet.getByRole('textbox', { name: 'Developer’s age public key' });
  await recipient.fill('ssh-ed25519 AAAA');
  await expect(sheet.getByTestId('age-handoff')).toContainText("Recipient must be the developer's age public key");
  await expect(sheet.getByTestId('export-age')).toBeDisabled();
  await recipient.fill(await identityToRecipient(identity));
  await sheet.getByTestId('export-age').click();
  await expect.poll(() => desk.savedPaths.length).toBe(1);
  await expect(sheet.getByTestId('export-saved')).toContainText(desk.savedPaths[0]!);

  // Only the developer's identity opens it, and it holds the secret; the file itself does not.
  const file = readFileSync(desk.savedPaths[0]!, 'utf8');
  expect(file).not.toContain(secret!.value);
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);
  expect(await decrypter.decrypt(armor.decode(file), 'text')).toContain(secret!.value);
});
