// The encrypted handoff: the .env with the secret, encrypted to the developer's age recipient with the age-encryption
// library. Only the developer's identity opens it, the secret in it gets a token, and the file holds no plain secret.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Decrypter, armor, generateX25519Identity, identityToRecipient } from 'age-encryption';
import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { filesContaining, oauthClient, useDesk } from './support';

const desk = useDesk();
const { call } = desk;

describe('the handoff encrypted to the developer', () => {
  it('decrypts with their identity to a .env whose secret gets a token; the file holds no plain secret', async () => {
    const created = await call('createApp', {
      name: 'Age robot',
      isConfidential: true,
      scopes: [{ name: 'OR.Queues.Read', type: 'application' }],
    });
    const secret = created.secret!.value;
    const identity = await generateX25519Identity();
    const recipient = await identityToRecipient(identity);
    const path = join(desk.tempDir(), 'age-robot.env.age');

    expect(await call('exportHandoff', { clientId: created.app.id, format: 'age', recipient, path })).toEqual({ path });
    const file = readFileSync(path, 'utf8');
    expect(file).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----/);
    expect(filesContaining(join(path, '..'), [secret])).toEqual([]);

    const decrypter = new Decrypter();
    decrypter.addIdentity(identity);
    const env = await decrypter.decrypt(armor.decode(file), 'text');
    const found = /^OAUTH_CLIENT_SECRET="(.*)"$/m.exec(env)?.[1];
    expect(found).toBe(secret);
    const { issuer } = await call('showOrganisation', {});
    const token = await oidc.clientCredentialsGrant(await oauthClient(issuer, created.app.id, found!), {
      scope: 'OR.Queues.Read',
    });
    expect(token.access_token).toBeTruthy();

    // Another identity cannot open it.
    const stranger = new Decrypter();
    stranger.addIdentity(await generateX25519Identity());
    await expect(stranger.decrypt(armor.decode(file), 'text')).rejects.toThrow();
  });

  it('refuses a recipient that is not an age key, naming the field, and writes nothing', async () => {
    const created = await call('createApp', {
      name: 'Age robot 2',
      isConfidential: true,
      scopes: [{ name: 'OR.Queues.Read', type: 'application' }],
    });
    const path = join(desk.tempDir(), 'nothing.age');
    await expect(
      call('exportHandoff', { clientId: created.app.id, format: 'age', recipient: 'age1notakey', path }),
    ).rejects.toMatchObject({ code: 'invalid_input', issues: [{ field: 'recipient' }] });
    expect(() => readFileSync(path)).toThrow();
  });
});
