// An application edited while its organisation cannot be reached: Save keeps the edit as the application's pending
// change; once the organisation answers, the change is previewed afresh against the application as the organisation
// has it now (renamed there meanwhile) and applied, and the organisation has it.
import { expectAccessible } from './axe';
import { openApplication } from './application';
import { addAcmeWithRobot, restartAcme, takeAcmeOffline, testWithAcme as test, useAcmeInWindow } from './acme';
import { expect } from './fixtures';
import { shootAtBothSizes } from './shots';

test('offline, an edit is kept as a pending change, then previewed afresh and applied once Acme answers', async ({
  app: page,
  desk,
  acme,
}) => {
  test.setTimeout(150_000);
  const app = await addAcmeWithRobot(desk, acme);
  await useAcmeInWindow(page);
  await takeAcmeOffline(page, acme);
  await openApplication(page, app.id);

  // Offline: the edit is offered, and Save says what it does. The header does not call the cache read-only, and the
  // federated credentials (read from Acme only) say why they are not shown, with no error raised.
  await expect(page.getByTestId('offline-edit-note')).toContainText('Save keeps your edit as a pending change');
  await expect(page.getByTestId('organisation-offline-note')).toContainText('edits wait as drafts and pending changes');
  await expect(page.getByTestId('federated-table')).toContainText(
    'Acme is offline: its federated credentials are read from it when it answers.',
  );
  await expect(page.getByTestId('error-notice')).toHaveCount(0);
  await page.getByLabel('Application Name').fill('Acme queue robot');
  await expect(page.getByTestId('save-application')).toHaveText('Keep as pending change');
  await page.getByTestId('save-application').click();
  const pending = page.getByTestId('pending-edit');
  await expect(pending.getByTestId('pending-edit-status')).toHaveText(
    'Pending: will be applied when Acme answers (name “Acme queue robot”).',
  );
  await expect(pending.getByTestId('pending-edit-apply')).toBeDisabled();
  await expect(page.getByTestId('unsaved')).toHaveCount(0);
  expect((await desk.call('getPendingAppEdit', { organisation: 'acme', clientId: app.id })).pending?.edit).toEqual({
    name: 'Acme queue robot',
  });
  await expectAccessible(page, 'an application with a pending change, offline');
  await shootAtBothSizes(page, 'application-pending-edit-offline');

  // Acme answers again, and the application is changed there before the pending change goes on.
  await restartAcme(acme);
  await expect(page.getByTestId('organisation-offline')).toHaveCount(0, { timeout: 30_000 });
  await desk.call('updateApp', { organisation: 'acme', clientId: app.id, name: 'Renamed elsewhere' });
  await expect(pending.getByTestId('pending-edit-apply')).toBeEnabled();
  await pending.getByTestId('pending-edit-apply').click();
  // The plan is made against the application as Acme has it now.
  const preview = page.getByTestId('change-preview');
  await expect(preview).toContainText('Renamed elsewhere');
  await expect(preview).toContainText('Acme queue robot');
  await shootAtBothSizes(page, 'application-pending-edit-preview');
  await preview.getByTestId('apply-changes').click();
  await expect(page.getByTestId('pending-edit')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Acme queue robot' })).toBeVisible();
  expect((await desk.call('getApp', { organisation: 'acme', clientId: app.id })).name).toBe('Acme queue robot');
  expect((await desk.call('getPendingAppEdit', { organisation: 'acme', clientId: app.id })).pending).toBeNull();
});

test('a pending change can be discarded: nothing reaches the organisation', async ({ app: page, desk, acme }) => {
  test.setTimeout(120_000);
  const app = await addAcmeWithRobot(desk, acme);
  await useAcmeInWindow(page);
  await takeAcmeOffline(page, acme);
  await openApplication(page, app.id);
  await page.getByLabel('Application Name').fill('Never applied');
  await page.getByTestId('save-application').click();
  await page.getByTestId('pending-edit-discard').click();
  await expect(page.getByTestId('pending-edit')).toHaveCount(0);
  expect((await desk.call('getPendingAppEdit', { organisation: 'acme', clientId: app.id })).pending).toBeNull();
  await restartAcme(acme);
  expect((await desk.call('getApp', { organisation: 'acme', clientId: app.id })).name).toBe('Acme robot');
});
