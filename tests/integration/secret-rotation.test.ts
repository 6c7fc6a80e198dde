// Secrets over an application's life, through the dispatch against the real Identity Server over HTTP and the real
// keychain: rotation with overlap, replacement (also when the keychain refuses), expiry, deletion and copying.
// Each secret is judged the way an integration would: by asking the token endpoint with an OAuth client library.
import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { filesContaining, keytar, memoryClipboard, oauthClient, useDesk } from './support';

const clipboard = memoryClipboard();
const CLEAR_AFTER_SECONDS = 1;
const desk = useDesk({
  rateLimits: { get: 10_000, post: 10_000 },
  clipboard,
  clipboardClearAfterSeconds: CLEAR_AFTER_SECONDS,
});
const { home, keychainService, keychain, call } = desk;
/** Every secret value this suite saw, to prove none of them reached a file of the data folder. */
const secretValues: string[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A client_credentials token for OR.Jobs, as an integration holding `secret` would ask for it. */
async function tokenWith(clientId: string, secret: string): Promise<string> {
  const organisation = await call('showOrganisation', {});
  const config = await oauthClient(organisation.issuer, clientId, secret);
  return (await oidc.clientCredentialsGrant(config, { scope: 'OR.Jobs' })).access_token;
}

async function refused(clientId: string, secret: string): Promise<string | undefined> {
  try {
    await tokenWith(clientId, secret);
    return undefined;
  } catch (error) {
    return (error as { error?: string }).error;
  }
}

async function registerConfidential(name: string): Promise<{ appId: string; secret: string; secretId: string }> {
  const created = await call('createApp', {
    name,
    isConfidential: true,
    scopes: [{ name: 'OR.Jobs', type: 'application' }],
  });
  const secret = created.secret!;
  expect(secret.stored).toBe(true);
  secretValues.push(secret.value);
  return { appId: created.app.id, secret: secret.value, secretId: secret.id };
}

describe('rotation with overlap', () => {
  it('keeps both secrets working until the old one is deleted, which then gets invalid_client', async () => {
    const first = await registerConfidential('Overlap rotation');
    const rotated = await call('generateSecret', {
      clientId: first.appId,
      mode: 'overlap',
      description: 'rotation 2026',
    });
    secretValues.push(rotated.secret.value);
    expect(rotated.replaced).toEqual([]);
    expect(rotated.secret).toMatchObject({ stored: true, pendingId: null });
    expect(await keytar.getPassword(rotated.secret.keychain.service, rotated.secret.keychain.account)).toBe(
      rotated.secret.value,
    );

    expect(await tokenWith(first.appId, first.secret)).toBeTruthy();
    expect(await tokenWith(first.appId, rotated.secret.value)).toBeTruthy();

    const listed = await call('listSecrets', { clientId: first.appId });
    expect(listed.map((s) => s.id).sort()).toEqual([first.secretId, rotated.secret.id].sort());
    for (const s of listed) {
      expect(s.keychain?.service).toBe(keychainService);
      expect(s.fingerprint).toMatch(/^[0-9a-f]{8}$/);
      // Both were just used for a token: the server's last use shows.
      expect(s.lastUsedTime).toBeTruthy();
    }
    expect(listed.find((s) => s.id === rotated.secret.id)?.description).toBe('rotation 2026');

    const oldEntry = listed.find((s) => s.id === first.secretId)!.keychain!;
    await call('deleteSecret', { clientId: first.appId, secretId: first.secretId });
    expect(await refused(first.appId, first.secret)).toBe('invalid_client');
    expect(await tokenWith(first.appId, rotated.secret.value)).toBeTruthy();
    expect(await keytar.getPassword(oldEntry.service, oldEntry.account)).toBeNull();
    expect((await call('listSecrets', { clientId: first.appId })).map((s) => s.id)).toEqual([rotated.secret.id]);
    const activity = await call('listActivity', {});
    expect(activity.find((a) => a.action === 'secret.delete' && a.target === first.appId)?.detail).toContain(
      first.secretId,
    );
  });

  it('refuses to delete a secret the application does not have, naming the field', async () => {
    const app = await registerConfidential('Unknown secret');
    await expect(call('deleteSecret', { clientId: app.appId, secretId: '999999999' })).rejects.toMatchObject({
      code: 'not_found',
      issues: [{ field: 'secretId' }],
    });
    expect(await tokenWith(app.appId, app.secret)).toBeTruthy();
  });
});

describe('replacing a secret', () => {
  it('leaves only the new secret working, and it is the one in the keychain', async () => {
    const first = await registerConfidential('Replace rotation');
    const extra = await call('generateSecret', { clientId: first.appId, mode: 'overlap' });
    secretValues.push(extra.secret.value);
    const listedBefore = await call('listSecrets', { clientId: first.appId });

    const replacement = await call('generateSecret', { clientId: first.appId, mode: 'replace' });
    secretValues.push(replacement.secret.value);
    expect(replacement.replaced.sort()).toEqual([first.secretId, extra.secret.id].sort());

    expect(await tokenWith(first.appId, replacement.secret.value)).toBeTruthy();
    expect(await refused(first.appId, first.secret)).toBe('invalid_client');
    expect(await refused(first.appId, extra.secret.value)).toBe('invalid_client');

    const listed = await call('listSecrets', { clientId: first.appId });
    expect(listed.map((s) => s.id)).toEqual([replacement.secret.id]);
    expect(await keytar.getPassword(listed[0]!.keychain!.service, listed[0]!.keychain!.account)).toBe(
      replacement.secret.value,
    );
    for (const old of listedBefore)
      expect(await keytar.getPassword(old.keychain!.service, old.keychain!.account)).toBeNull();
    const entries = (await keytar.findCredentials(keychainService)).filter((c) => c.account.includes(first.appId));
    expect(entries.map((c) => c.password)).toEqual([replacement.secret.value]);
  });

  it('deletes nothing while the keychain refuses the new secret; a retry stores it and then replaces the old one', async () => {
    const first = await registerConfidential('Replace with refusing keychain');
    keychain.refusing = true;
    let pending;
    try {
      pending = await call('generateSecret', { clientId: first.appId, mode: 'replace' });
    } finally {
      keychain.refusing = false;
    }
    secretValues.push(pending.secret.value);
    expect(pending.secret).toMatchObject({ stored: false, pendingId: expect.any(String) as unknown });
    expect(pending.secret.keychainError).toMatch(/keychain/i);
    expect(pending.replaced).toEqual([]);
    expect(await tokenWith(first.appId, first.secret)).toBeTruthy();
    expect(await tokenWith(first.appId, pending.secret.value)).toBeTruthy();
    expect(await keytar.getPassword(pending.secret.keychain.service, pending.secret.keychain.account)).toBeNull();

    const oldIds = (await call('listSecrets', { clientId: first.appId }))
      .map((s) => s.id)
      .filter((id) => id !== pending.secret.id);
    const retried = await call('retrySecretStore', { pendingId: pending.secret.pendingId! });
    expect(retried).toEqual({ stored: true, keychain: pending.secret.keychain, replaced: oldIds });
    expect(await keytar.getPassword(retried.keychain.service, retried.keychain.account)).toBe(pending.secret.value);
    expect(await refused(first.appId, first.secret)).toBe('invalid_client');
    expect(await tokenWith(first.appId, pending.secret.value)).toBeTruthy();
    expect((await call('listSecrets', { clientId: first.appId })).map((s) => s.id)).toEqual([pending.secret.id]);
  });
});

describe('an expiring secret', () => {
  it('works until its expiry, then gets invalid_client; the list shows the soonest expiry', async () => {
    const app = await registerConfidential('Short-lived secret');
    const expiryTime = new Date(Date.now() + 3000).toISOString();
    const short = await call('generateSecret', { clientId: app.appId, mode: 'overlap', expiryTime });
    secretValues.push(short.secret.value);
    expect(await tokenWith(app.appId, short.secret.value)).toBeTruthy();
    const row = (await call('listApps', {})).find((r) => r.id === app.appId);
    expect(row?.secretCount).toBe(2);
    expect(Date.parse(row!.nextSecretExpiry!)).toBe(Date.parse(expiryTime));

    await sleep(Date.parse(expiryTime) - Date.now() + 500);
    expect(await refused(app.appId, short.secret.value)).toBe('invalid_client');
    expect(await tokenWith(app.appId, app.secret)).toBeTruthy();
  });

  it('refuses an expiry in the past, naming the field, and creates no secret', async () => {
    const app = await registerConfidential('Past expiry');
    await expect(
      call('generateSecret', { clientId: app.appId, mode: 'overlap', expiryTime: '2001-01-01T00:00:00Z' }),
    ).rejects.toMatchObject({ code: 'invalid_input', issues: [{ field: 'expiryTime' }] });
    expect(await call('listSecrets', { clientId: app.appId })).toHaveLength(1);
  });
});

describe('copying a secret', () => {
  it('puts the keychain value on the clipboard and clears it after the delay', async () => {
    const app = await registerConfidential('Copy to clipboard');
    const answer = await call('copySecretToClipboard', { clientId: app.appId, secretId: app.secretId });
    expect(answer).toEqual({ copied: true, clearAfterSeconds: CLEAR_AFTER_SECONDS });
    expect(clipboard.text).toBe(app.secret);
    await sleep(CLEAR_AFTER_SECONDS * 1000 + 300);
    expect(clipboard.text).toBe('');
    const activity = await call('listActivity', {});
    expect(activity.find((a) => a.action === 'secret.copy')?.detail).not.toContain(app.secret);
  });

  it('leaves alone a clipboard the user changed meanwhile', async () => {
    const app = await registerConfidential('Copy then copy something else');
    await call('copySecretToClipboard', { clientId: app.appId, secretId: app.secretId });
    await clipboard.writeText('the user copied this');
    await sleep(CLEAR_AFTER_SECONDS * 1000 + 300);
    expect(clipboard.text).toBe('the user copied this');
  });

  it('refuses a secret this workspace does not hold', async () => {
    const app = await registerConfidential('Copy unknown');
    await expect(call('copySecretToClipboard', { clientId: app.appId, secretId: '999999998' })).rejects.toMatchObject({
      code: 'not_found',
      issues: [{ field: 'secretId' }],
    });
  });
});

describe('without a clipboard (the CLI)', () => {
  it('answers that it cannot copy, in words', async () => {
    const cliHome = desk.tempDir();
    const { context: cli, call: cliCall } = await desk.open({ home: cliHome });
    try {
      const created = await cliCall('createApp', {
        name: 'No clipboard',
        isConfidential: true,
        scopes: [{ name: 'OR.Jobs', type: 'application' }],
      });
      secretValues.push(created.secret!.value);
      await expect(
        cliCall('copySecretToClipboard', { clientId: created.app.id, secretId: created.secret!.id }),
      ).rejects.toMatchObject({
        code: 'invalid_input',
        message: expect.stringMatching(/no clipboard/) as unknown,
      });
      expect(filesContaining(cliHome, secretValues)).toEqual([]);
    } finally {
      await cli.close();
    }
  });
});

describe('after all of it', () => {
  it('no secret value is in any file of the data folder', async () => {
    const organisation = await call('showOrganisation', {});
    const admin = await keytar.getPassword(organisation.adminSecret.service, organisation.adminSecret.account);
    expect(filesContaining(home, [...secretValues, admin ?? ''])).toEqual([]);
  });
});
