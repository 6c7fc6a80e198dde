// An organisation's sign-in is changed in its settings, never by removing and adding it again; removing the current
// organisation switches the list to the next one quietly; and "Sign in with my account" (adding an organisation, or
// Change sign-in) waits for the user's browser with Cancel, Open the sign-in page again and Copy the sign-in link.
import type { Page } from '@playwright/test';
import { expect } from './fixtures';
import {
  addAcme,
  addAcmeInWindow,
  addUserOnAcme,
  openCurrentSettings,
  registerAccountAppOnAcme,
  registerOnAcme,
  signInOnAcme,
  testWithAcme as test,
  useAcmeInWindow,
  type Acme,
} from './acme';
import { expectAccessible } from './axe';
import { shootAtBothSizes } from './shots';
import { feedbackOf } from './wizard';

test('removing the current organisation switches the list to the embedded one, with no error', async ({
  app: page,
  desk,
  acme,
}) => {
  test.setTimeout(90_000);
  await addAcme(desk, acme);
  await desk.call('createApp', {
    organisation: 'local',
    name: 'Embedded robot',
    isConfidential: true,
    scopes: [{ name: 'OR.Jobs', type: 'application' }],
  });
  await desk.call('createApp', {
    organisation: 'acme',
    name: 'Acme robot',
    isConfidential: true,
    scopes: [{ name: 'OR.Jobs', type: 'application' }],
  });
  await desk.call('syncOrganisation', { organisation: 'acme' });
  await useAcmeInWindow(page);
  await expect(page.getByTestId('apps-table')).toContainText('Acme robot');

  await openCurrentSettings(page);
  await page.getByTestId('remove-organisation').click();
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(page.getByTestId('organisation-settings-drawer')).toBeHidden();
  await expect(page.getByTestId('current-organisation-name')).not.toHaveText('Acme');
  await expect(page.getByTestId('apps-table')).toContainText('Embedded robot');
  await expect(page.getByTestId('apps-table')).not.toContainText('Acme robot');
  // Give a late answer for the removed organisation its time to show; none may.
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('error-notice')).toHaveCount(0);
});

test('Change sign-in: a refused secret keeps the old one and says so on the field; a proven one replaces it', async ({
  app: page,
  desk,
  acme,
}) => {
  test.setTimeout(120_000);
  const oldEntry = `acme/admin/${acme.admin.clientId}`;
  const narrow = await registerOnAcme(acme, 'Read only admin', ['PM.OAuthApp.Read']);
  const next = await registerOnAcme(acme, 'New admin', ['PM.OAuthApp', 'PM.OAuthAppSecret.Write']);
  await addAcmeInWindow(page, desk, acme);
  await openCurrentSettings(page);
  await page.getByTestId('change-sign-in').click();
  const form = page.getByTestId('change-sign-in-form');
  await expect(form.getByLabel('App ID')).toHaveValue(acme.admin.clientId);

  // A refused secret: on its field, and the keychain still holds the old one.
  await form.getByLabel('App secret').fill('not-the-secret');
  await page.getByTestId('submit-sign-in').click();
  await expect(feedbackOf(page, 'App secret')).toHaveText(
    "Acme refused this secret. Check the App ID, and paste the admin application's current secret.",
  );
  await expect(page.getByTestId('error-notice')).toHaveCount(0);
  expect(await desk.readSecret(oldEntry)).toBe(acme.admin.secret);
  await expectAccessible(page, 'change sign-in refused');
  await shootAtBothSizes(page, 'organisation-change-sign-in-refused');

  // A secret acme accepts, of an application that cannot manage secrets: the checks say so and the old one stays.
  await form.getByLabel('App ID').fill(narrow.id);
  await form.getByLabel('App secret').fill(narrow.secret);
  await page.getByTestId('submit-sign-in').click();
  await expect(page.getByTestId('sign-in-kept')).toContainText('The old sign-in stays');
  await expect(page.locator('[data-check="secretManagement"]')).toHaveAttribute('data-result', 'failed');
  expect(await desk.readSecret(oldEntry)).toBe(acme.admin.secret);
  expect(await desk.readSecret(`acme/admin/${narrow.id}`)).toBeNull();

  // A proven sign-in replaces the old one.
  await form.getByLabel('App ID').fill(next.id);
  await form.getByLabel('App secret').fill(next.secret);
  await page.getByTestId('submit-sign-in').click();
  await expect(page.getByTestId('sign-in-changed')).toContainText('every check passed');
  await expect(page.getByTestId('organisation-settings-drawer')).toContainText(`acme/admin/${next.id}`);
  expect(await desk.readSecret(`acme/admin/${next.id}`)).toBe(next.secret);
  expect(await desk.readSecret(oldEntry)).toBeNull();
  await shootAtBothSizes(page, 'organisation-change-sign-in-done');
  await page.getByTestId('test-connection').click();
  await expect(page.getByTestId('connection-summary')).toHaveText('Every check passed.');
});

const ALICE = { userName: 'alice', password: 'correct horse battery' };
/** A one-time start address of main's loopback listener: it holds no state or challenge, only a random path. */
const START_ADDRESS = /^http:\/\/127\.0\.0\.1:\d+\/start\/[\w-]{43}$/;

/** What an address of main's listener answers now, without following it: its status, or "refused" (nothing listens). */
async function answerOf(address: string): Promise<number | 'refused'> {
  return fetch(address, { redirect: 'manual', signal: AbortSignal.timeout(5000) }).then(
    (answer) => answer.status,
    () => 'refused' as const,
  );
}

/** The Add organisation form filled for acme, signed in with the user's account through this App ID; not sent yet. */
async function fillAddAcmeWithAccount(page: Page, acme: Acme, clientId: string): Promise<void> {
  await page.getByTestId('organisation-switcher').click();
  await page.getByTestId('add-organisation').click();
  await expect(page.getByRole('heading', { name: 'Add organisation' })).toBeVisible();
  await page.getByLabel('Base URL').fill(acme.server.baseUrl);
  await page.getByLabel('Organisation name').fill('acme');
  await page.getByLabel('Display name').fill('Acme');
  await page.getByTestId('sign-in-account').click();
  await page.getByLabel('App ID').fill(clientId);
}

test('Sign in with my account: the sign-in page again on a new address, a fresh link copied, then signed in for real', async ({
  app: page,
  desk,
  acme,
}) => {
  test.setTimeout(120_000);
  const clientId = await registerAccountAppOnAcme(acme);
  await addUserOnAcme(acme, ALICE.userName, ALICE.password);
  await fillAddAcmeWithAccount(page, acme, clientId);
  await page.getByTestId('submit-organisation').click();

  // Main waits for the browser it opened on a one-time start address of its listener.
  const waiting = page.getByTestId('waiting-for-browser');
  await expect(waiting).toContainText('Waiting for you to sign in in your browser…');
  await expect.poll(() => desk.opened.length).toBe(1);
  const first = desk.opened[0]!;
  expect(first).toMatch(START_ADDRESS);
  await expect(waiting.getByTestId('account-sign-in-reopen')).toBeEnabled();
  // Cancel sign-in is the one Cancel while the browser is awaited: no disabled form Cancel beside it.
  await expect(page.getByRole('button', { name: 'Cancel', exact: true })).toHaveCount(0);
  await expectAccessible(page, 'Add organisation, waiting for the sign-in in the browser');
  await shootAtBothSizes(page, 'organisation-sign-in-waiting');

  // Open the sign-in page again: a new address of the same listener; the first one, never used, leads nowhere now.
  await waiting.getByTestId('account-sign-in-reopen').click();
  await expect.poll(() => desk.opened.length).toBe(2);
  const again = desk.opened[1]!;
  expect(again).toMatch(START_ADDRESS);
  expect(again).not.toBe(first);
  expect(new URL(again).origin).toBe(new URL(first).origin);
  expect(await answerOf(first)).toBe(404);
  await expect(waiting).toBeVisible();

  // Copy the sign-in link: a fresh address on main's clipboard, said in a notice; the browser opened nothing more.
  await waiting.getByTestId('account-sign-in-copy').click();
  await expect(
    page.getByText(
      `Sign-in link copied; it works once, and leaves the clipboard in ${String(desk.clipboardClearAfterSeconds)} s.`,
    ),
  ).toBeVisible();
  const copied = desk.clipboard.text;
  expect(copied).toMatch(START_ADDRESS);
  expect(desk.opened).not.toContain(copied);
  expect(desk.opened).toHaveLength(2);

  // The user pastes the link in their browser and signs in on acme's own page.
  const browser = await page.context().newPage();
  try {
    await browser.goto(copied);
    expect(new URL(browser.url()).origin).toBe(new URL(acme.server.baseUrl).origin);
    await signInOnAcme(browser, ALICE.userName, ALICE.password);
    await expect(browser.getByRole('status')).toHaveText('You are signed in to OAuth Desk; you can close this tab.');
  } finally {
    await browser.close();
  }

  // The wait ends: acme is added with the account's sign-in, every check passed, and it is the current organisation.
  await expect(waiting).toBeHidden();
  await expect(page.getByTestId('organisation-added-current')).toContainText(
    'Acme is added, and is now the current organisation.',
  );
  await expect(page.getByTestId('connection-summary')).toHaveText('Every check passed.');
  await expect(page.getByTestId('current-organisation-name')).toHaveText('Acme');
  expect(await desk.call('showOrganisation', { organisation: 'acme' })).toMatchObject({
    signIn: 'account',
    adminClientId: clientId,
    isCurrent: true,
  });
  // The listener closed once the browser came back: no address of it answers any more.
  expect(await answerOf(again)).toBe('refused');
  await expect(page.getByTestId('error-notice')).toHaveCount(0);
});

test('Sign in with my account: Cancel sign-in ends the wait, closes the listener and adds nothing', async ({
  app: page,
  desk,
  acme,
}) => {
  test.setTimeout(90_000);
  const clientId = await registerAccountAppOnAcme(acme);
  await fillAddAcmeWithAccount(page, acme, clientId);
  await page.getByTestId('submit-organisation').click();
  const waiting = page.getByTestId('waiting-for-browser');
  await expect(waiting).toBeVisible();
  await expect.poll(() => desk.opened.length).toBe(1);
  const address = desk.opened[0]!;
  expect(address).toMatch(START_ADDRESS);
  // The listener is up while main waits (asked at its callback, so that the start address stays unused).
  const callback = `${new URL(address).origin}/callback`;
  expect(await answerOf(callback)).toBe(400);

  await waiting.getByTestId('account-sign-in-cancel').click();
  await expect(waiting).toBeHidden();
  // The window says so, as what the admin chose and not as an error.
  await expect(page.getByText('Sign-in cancelled; nothing was changed.')).toBeVisible();
  await expect(page.getByTestId('error-notice')).toHaveCount(0);
  // The form stays, as filled, to be sent again.
  await expect(page.getByTestId('add-organisation-form')).toBeVisible();
  await expect(page.getByLabel('App ID')).toHaveValue(clientId);
  await expect(page.getByTestId('submit-organisation')).toBeEnabled();
  expect(await answerOf(address)).toBe('refused');
  expect(await answerOf(callback)).toBe('refused');
  expect((await desk.call('listOrganisations', {})).map((o) => o.id)).not.toContain('acme');
  expect(desk.opened).toHaveLength(1);
});

test('Change sign-in with my account: Cancel sign-in ends the wait and keeps the old sign-in', async ({
  app: page,
  desk,
  acme,
}) => {
  test.setTimeout(90_000);
  const clientId = await registerAccountAppOnAcme(acme);
  const oldEntry = `acme/admin/${acme.admin.clientId}`;
  await addAcmeInWindow(page, desk, acme);
  await openCurrentSettings(page);
  await page.getByTestId('change-sign-in').click();
  const form = page.getByTestId('change-sign-in-form');
  await form.getByTestId('change-sign-in-account').click();
  await form.getByLabel('App ID').fill(clientId);
  await page.getByTestId('submit-sign-in').click();

  const waiting = page.getByTestId('sign-in-waiting');
  await expect(waiting).toContainText('Waiting for you to sign in in your browser…');
  await expect.poll(() => desk.opened.length).toBe(1);
  const address = desk.opened[0]!;
  expect(address).toMatch(START_ADDRESS);
  await waiting.getByTestId('account-sign-in-cancel').click();

  await expect(waiting).toBeHidden();
  await expect(page.getByText('Sign-in cancelled; nothing was changed.')).toBeVisible();
  await expect(page.getByTestId('error-notice')).toHaveCount(0);
  await expect(page.getByTestId('sign-in-changed')).toHaveCount(0);
  expect(await answerOf(address)).toBe('refused');
  // The old sign-in stays: the admin application's secret in the keychain, and the organisation signs in with it.
  expect(await desk.readSecret(oldEntry)).toBe(acme.admin.secret);
  await expect(page.getByTestId('organisation-settings-drawer')).toContainText(oldEntry);
  expect(await desk.call('showOrganisation', { organisation: 'acme' })).toMatchObject({
    signIn: 'adminApp',
    adminClientId: acme.admin.clientId,
  });
  await page.getByTestId('test-connection').click();
  await expect(page.getByTestId('connection-summary')).toHaveText('Every check passed.');
});
