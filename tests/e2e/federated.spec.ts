// Secretless applications in the window: the Federated credentials section (the preset builder, the linter as the
// admin types, add, edit, delete), "Why was my token refused?" with a pipeline's JWT from a loopback issuer, the
// handoff's pipeline snippets, the Secretless mark, and going secretless once no secret is used any more.
import type { Page } from '@playwright/test';
import { test, expect, type Desk } from './fixtures';
import { confirmation, openApplication, registerApp } from './application';
import { expectAccessible, useScheme } from './axe';
import { shootAtBothSizes } from './shots';
import { startTestIssuer, type TestIssuer } from '../integration/testIssuer';

const SCOPE = 'OR.Jobs.Read';
const SUBJECT = 'repo:acme/robots:ref:refs/heads/main';

// Each test looks at its states in both themes and at both sizes.
test.describe.configure({ timeout: 180_000 });

let issuer: TestIssuer;
test.beforeAll(async () => {
  issuer = await startTestIssuer();
});
test.afterAll(async () => {
  await issuer.close();
});

async function audienceOf(desk: Desk): Promise<string> {
  return (await desk.call('showOrganisation', {})).issuer;
}

async function addCredential(desk: Desk, clientId: string, name = 'Pipeline') {
  return desk.call('createFederatedCredential', {
    clientId,
    name,
    issuer: issuer.issuer,
    audience: await audienceOf(desk),
    subject: SUBJECT,
  });
}

/** A client_credentials request with the secret, as an integration still using it makes one. */
async function useSecret(desk: Desk, clientId: string, secret: string): Promise<void> {
  const { tokenUrl } = await desk.call('showOrganisation', {});
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: SCOPE }),
  });
  expect(response.status).toBe(200);
}

/** The application's row in External Applications, the list read again from the organisation. */
async function listedRow(page: Page, appId: string) {
  await page.getByRole('menuitem', { name: 'External Applications' }).click();
  await page.getByTestId('apps-refresh').click();
  return page.locator(`[data-testid="app-row"][data-app-id="${appId}"]`);
}

async function shootBothThemes(page: Page, name: string): Promise<void> {
  await shootAtBothSizes(page, `${name}-light`);
  await useScheme(page, 'dark');
  await shootAtBothSizes(page, `${name}-dark`);
  await useScheme(page, 'light');
}

test('the preset builds the subject, the linter warns as the admin types, and a credential is added, edited and deleted', async ({
  app: page,
  desk,
}) => {
  const { app } = await registerApp(desk, { name: 'Robots CI', scopes: [{ name: SCOPE, type: 'application' }] });
  const audience = await audienceOf(desk);
  await openApplication(page, app.id);
  const section = page.getByTestId('federated-section');
  await expect(section.getByRole('heading', { name: 'Federated credentials' })).toBeVisible();
  await expect(section).toContainText('No federated credentials');

  await section.getByRole('button', { name: 'Add credential' }).click();
  const drawer = page.getByRole('dialog', { name: 'Add federated credential' });
  // GitHub Actions by default: its issuer and the organisation's identity URL as audience.
  await expect(drawer.getByLabel('Issuer', { exact: true })).toHaveValue('https://token.actions.githubusercontent.com');
  await expect(drawer.getByLabel('Audience', { exact: true })).toHaveValue(audience);
  await drawer.getByLabel('Organization', { exact: true }).fill('acme');
  await drawer.getByLabel('Repository', { exact: true }).fill('robots');
  await drawer.getByLabel('Branch, environment or tag').fill('main');
  await expect(drawer.getByLabel('Subject', { exact: true })).toHaveValue(SUBJECT);
  await drawer.getByText('Environment', { exact: true }).click();
  await drawer.getByLabel('Branch, environment or tag').fill('prod');
  await expect(drawer.getByLabel('Subject', { exact: true })).toHaveValue('repo:acme/robots:environment:prod');
  // The immutable-ID form of repositories created after 2026-07-15.
  await drawer.getByText('Immutable IDs', { exact: true }).click();
  await drawer.getByLabel('Owner ID').fill('42');
  await drawer.getByLabel('Repository ID').fill('777');
  await expect(drawer.getByLabel('Subject', { exact: true })).toHaveValue('repo:acme@42/robots@777:environment:prod');
  await shootBothThemes(page, 'federated-drawer');

  // The linter, on the fields: a trailing slash, a wildcard, an audience the pipeline will not ask for.
  await drawer.getByLabel('Issuer', { exact: true }).fill(`${issuer.issuer}/`);
  await expect(drawer.getByTestId('federated-issuer-item')).toContainText('Issuer ends with a slash');
  await drawer.getByLabel('Subject', { exact: true }).fill('repo:acme/*:ref:refs/heads/main');
  await expect(drawer.getByTestId('federated-subject-item')).toContainText('must not contain a wildcard');
  await drawer.getByLabel('Audience', { exact: true }).fill('https://github.com/acme');
  await expect(drawer.getByTestId('federated-audience-item')).toContainText(
    `The pipeline will ask for the audience ${audience}`,
  );
  await expectAccessible(page, 'federated credential drawer with lint');

  await drawer.getByLabel('Issuer', { exact: true }).fill(issuer.issuer);
  await drawer.getByLabel('Subject', { exact: true }).fill(SUBJECT);
  await drawer.getByLabel('Audience', { exact: true }).fill(audience);
  await expect(drawer.getByTestId('federated-issuer-item')).not.toContainText('slash');
  await drawer.getByRole('button', { name: 'Add credential' }).click();
  await expect(drawer).toBeHidden();
  const row = section.getByTestId('federated-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(SUBJECT);
  await expect(row).toContainText(issuer.issuer);
  const [stored] = await desk.call('listFederatedCredentials', { clientId: app.id });
  expect(stored).toMatchObject({ name: 'GitHub Actions', issuer: issuer.issuer, subject: SUBJECT, audience });

  // A duplicate issuer and subject is refused as the admin types.
  await section.getByRole('button', { name: 'Add credential' }).click();
  await drawer.getByLabel('Issuer', { exact: true }).fill(issuer.issuer);
  await drawer.getByLabel('Subject', { exact: true }).fill(SUBJECT);
  await expect(drawer.getByTestId('federated-subject-item')).toContainText('same issuer and subject');
  await drawer.getByRole('button', { name: 'Cancel' }).click();

  // Edit: the subject changes on the organisation.
  await section.getByRole('button', { name: 'Edit federated credential GitHub Actions' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit federated credential' });
  await edit.getByLabel('Subject', { exact: true }).fill('repo:acme/robots:pull_request');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(row).toContainText('repo:acme/robots:pull_request');
  await expectAccessible(page, 'federated credentials section');
  await shootBothThemes(page, 'federated-section');

  // Delete names what stops working.
  await section.getByRole('button', { name: 'Delete federated credential GitHub Actions' }).click();
  const confirm = confirmation(page, 'Delete federated credential');
  await expect(page.getByTestId('delete-federated-confirm')).toContainText(
    `Pipelines whose token comes from ${issuer.issuer} with the subject repo:acme/robots:pull_request stop getting tokens`,
  );
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(section.getByTestId('federated-row')).toHaveCount(0);
  expect(await desk.call('listFederatedCredentials', { clientId: app.id })).toEqual([]);
});

test('why was my token refused: the differing claim marked character by character, then the match', async ({
  app: page,
  desk,
}) => {
  const { app } = await registerApp(desk, { name: 'Refused app', scopes: [{ name: SCOPE, type: 'application' }] });
  const audience = await audienceOf(desk);
  await addCredential(desk, app.id, 'Main branch');
  await openApplication(page, app.id);

  await page.getByRole('button', { name: 'Why was my token refused?' }).click();
  const dialog = page.getByRole('dialog', { name: 'Why was my token refused?' });
  const wrong = await issuer.token({ sub: 'repo:acme/robots:ref:refs/heads/dev', aud: audience });
  await dialog.getByLabel('Token (JWT)').fill(wrong);
  await dialog.getByRole('button', { name: 'Check token' }).click();
  await expect(dialog.getByTestId('federated-check-nomatch')).toContainText('No credential matches');
  const credential = dialog.getByRole('region', { name: 'Credential Main branch' });
  await expect(credential).toContainText('sub differs from the credential’s subject at character 33'.replace('’', "'"));
  await expect(credential.getByTestId('diff-expected').locator('mark')).toHaveText('main');
  await expect(credential.getByTestId('diff-actual').locator('mark')).toHaveText('dev');
  await expectAccessible(page, 'why was my token refused, no match');
  await credential.scrollIntoViewIfNeeded();
  await shootBothThemes(page, 'federated-check');

  const right = await issuer.token({ sub: SUBJECT, aud: audience });
  await dialog.getByLabel('Token (JWT)').fill(right);
  await dialog.getByRole('button', { name: 'Check token' }).click();
  await expect(dialog.getByTestId('federated-check-match')).toContainText('It matches the credential “Main branch”');

  await dialog.getByLabel('Token (JWT)').fill('not a token');
  await dialog.getByRole('button', { name: 'Check token' }).click();
  await expect(dialog.getByTestId('federated-check-unreadable')).toContainText('not a JWT');
});

test('a secretless application: marked Secretless, and its handoff carries pipeline snippets instead of a secret', async ({
  app: page,
  desk,
}) => {
  const { app, secret } = await registerApp(desk, {
    name: 'Secretless app',
    scopes: [{ name: SCOPE, type: 'application' }],
  });
  const organisation = await desk.call('showOrganisation', {});
  await addCredential(desk, app.id);
  await desk.call('deleteSecret', { clientId: app.id, secretId: secret!.id });
  // The list marks it too: the cached application knows its federated credential count.
  const listed = await listedRow(page, app.id);
  await expect(listed.getByTestId('secretless-mark')).toHaveText('Secretless');
  await shootAtBothSizes(page, 'federated-list-secretless');
  await openApplication(page, app.id);
  await expect(page.getByTestId('secretless-mark')).toHaveText('Secretless');

  await page.getByTestId('open-handoff').click();
  const sheet = page.getByTestId('handoff');
  await expect(sheet.getByTestId('handoff-secretless')).toContainText('pipelines sign in with a federated credential');
  const github = sheet.getByTestId('snippet-github');
  await expect(github).toContainText('id-token: write');
  await expect(github).toContainText(`&audience=${encodeURIComponent(organisation.issuer)}`);
  await expect(github).toContainText(`curl -sSf -X POST ${organisation.tokenUrl}`);
  await expect(github).toContainText(`client_id=${app.id}`);
  await expect(github).toContainText('"client_assertion=$ID_TOKEN"');
  await expect(sheet.getByTestId('snippet-gitlab')).toContainText(`aud: "${organisation.issuer}"`);
  await expect(sheet.getByTestId('snippet-uip')).toContainText(
    `uip login --client-id ${app.id} --client-assertion "$ID_TOKEN"`,
  );
  await expectAccessible(page, 'secretless handoff');
  await sheet.getByTestId('snippet-github').scrollIntoViewIfNeeded();
  await shootBothThemes(page, 'federated-handoff');
});

test('go secretless: while a secret is still used the page says so; once none is, it offers to delete the secrets', async ({
  app: page,
  desk,
}) => {
  const { app: still, secret: stillSecret } = await registerApp(desk, {
    name: 'Still using a secret',
    scopes: [{ name: SCOPE, type: 'application' }],
  });
  await addCredential(desk, still.id);
  await new Promise((resolve) => setTimeout(resolve, 20));
  await useSecret(desk, still.id, stillSecret!.value);
  await openApplication(page, still.id);
  await expect(page.getByTestId('go-secretless-watching')).toContainText('something still signs in with a secret');
  await expect(page.getByTestId('go-secretless-ready')).toHaveCount(0);

  const { app, secret } = await registerApp(desk, {
    name: 'Switched app',
    scopes: [{ name: SCOPE, type: 'application' }],
  });
  await useSecret(desk, app.id, secret!.value);
  await new Promise((resolve) => setTimeout(resolve, 20));
  await addCredential(desk, app.id);
  await openApplication(page, app.id);
  const offer = page.getByTestId('go-secretless-ready');
  await expect(offer).toContainText('No secret has been used since the first federated credential was added');
  await expect(page.getByTestId('secretless-mark')).toHaveCount(0);
  await expectAccessible(page, 'go secretless offer');
  await page.getByTestId('secrets-section').scrollIntoViewIfNeeded();
  await shootBothThemes(page, 'go-secretless');

  await offer.getByRole('button', { name: 'Delete the secret' }).click();
  await expect(page.getByTestId('delete-secret-confirm')).toContainText('will stop working');
  await confirmation(page, 'Delete this secret?').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByTestId('secret-row')).toHaveCount(0);
  await expect(page.getByTestId('secretless-mark')).toHaveText('Secretless');
  expect(await desk.call('listSecrets', { clientId: app.id })).toEqual([]);
  // Its page listed the credentials: the list marks it, and not the one still using a secret.
  const listed = await listedRow(page, app.id);
  await expect(listed.getByTestId('secretless-mark')).toHaveText('Secretless');
  await expect(
    page.locator(`[data-testid="app-row"][data-app-id="${still.id}"]`).getByTestId('secretless-mark'),
  ).toHaveCount(0);
});
