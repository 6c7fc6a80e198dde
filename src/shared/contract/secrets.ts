// An application's secrets: the App Secret section, generating and deleting one, copying one to the clipboard through
// main, and a new secret the keychain refused (stored again, or forgotten).
import { z } from 'zod';
import type { AppSecret, KeychainRef, NewSecret } from '../model';
import { SECRET_DESCRIPTION_MAX } from '../rules';
import { clientId, secretId, organisation } from './fields';
import { labelled, op } from './operation';

const pendingId = labelled(z.string().min(1), 'Pending secret ID');

export const secretOperations = {
  /** The App Secret section: every secret of the app with created, expires, last used and its keychain entry. */
  listSecrets: op<AppSecret[]>()(z.object({ organisation, clientId }).strict()),
  /**
   * Generates a new secret, puts it into the keychain, then (`replace`) deletes the app's other secrets — only once
   * the new one is safely in the keychain — or (`overlap`) leaves them working until deleted or expired.
   * `replaced` lists the secrets deleted; when the keychain refused the new one, nothing is deleted yet and retrying
   * (retrySecretStore) finishes the replacement.
   */
  generateSecret: op<{ secret: NewSecret; replaced: string[] }>()(
    z
      .object({
        organisation,
        clientId,
        description: labelled(
          z.string().max(SECRET_DESCRIPTION_MAX, `Description must be at most ${SECRET_DESCRIPTION_MAX} characters.`),
          'Description',
        )
          .nullable()
          .default(null),
        /** ISO date-time; null for a secret that does not expire. */
        expiryTime: labelled(
          z.iso.datetime({ offset: true, error: 'Expiration must be a date and time, e.g. 2027-01-31T00:00:00Z.' }),
          'Expiration',
        )
          .nullable()
          .default(null),
        mode: labelled(z.enum(['replace', 'overlap'], { error: 'Mode must be replace or overlap.' }), 'Mode'),
      })
      .strict(),
  ),
  /** Deletes one secret: integrations using it stop working. Its keychain entry goes with it. */
  deleteSecret: op<{ deleted: true }>()(z.object({ organisation, clientId, secretId }).strict()),
  /** Reads a secret from the keychain in main and puts it on the clipboard, cleared after `clearAfterSeconds`. */
  copySecretToClipboard: op<{ copied: true; clearAfterSeconds: number }>()(
    z.object({ organisation, clientId, secretId }).strict(),
  ),
  /**
   * The Copy of a secret shown once, through main as every copy (cleared after `clearAfterSeconds`): named by its
   * `pendingId` while the keychain refuses it (main holds it in memory), else by App ID and Secret ID. The page never
   * sends the value.
   */
  copyNewSecretToClipboard: op<{ copied: true; clearAfterSeconds: number }>()(
    z
      .object({
        organisation,
        clientId: clientId.optional(),
        secretId: secretId.optional(),
        pendingId: labelled(z.string().min(1, 'Pending secret ID is required.'), 'Pending secret ID').optional(),
      })
      .strict()
      .refine(
        (input) => input.pendingId !== undefined || (input.clientId !== undefined && input.secretId !== undefined),
        {
          path: ['secretId'],
          error: 'Name the secret to copy: its pending secret ID, or its App ID and Secret ID.',
        },
      ),
  ),
  /** Tries again to put a secret the keychain refused into it; main kept the value in memory until then. */
  /** `replaced`: the secrets deleted once it was stored, when it was generated to replace them. */
  retrySecretStore: op<{ stored: true; keychain: KeychainRef; replaced: string[] }>()(z.object({ pendingId }).strict()),
  /** Forgets a secret the keychain refused (the admin copied it elsewhere, or gave up). */
  dismissPendingSecret: op<{ dismissed: boolean }>()(z.object({ pendingId }).strict()),
} as const;
