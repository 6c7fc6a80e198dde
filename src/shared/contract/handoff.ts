// The handoff: what a developer needs to build the integration, as data, as a document, or written to a file.
import { z } from 'zod';
import type { Handoff } from '../model';
import { clientId, path, organisation } from './fields';
import { labelled, op } from './operation';

export const handoffOperations = {
  /**
   * The details a developer needs to build the integration, as data and as a document (Markdown, JSON or .env).
   * The document never carries a secret: only exportHandoff writes one into a file, and only when asked.
   */
  handoffApp: op<{ handoff: Handoff; document: string }>()(
    z
      .object({ organisation, clientId, format: labelled(z.enum(['md', 'json', 'env']), 'Format').default('md') })
      .strict(),
  ),
  /**
   * Writes the handoff document to a file the user chooses (main asks with a save dialog when `path` is not given).
   * `includeSecret` (.env only) reads the newest secret from the keychain in main and writes it into the file.
   * `age`: the .env document with the secret, encrypted to the developer's age `recipient` (age1…): only they can read it.
   */
  exportHandoff: op<{ path: string } | { cancelled: true }>()(
    z
      .object({
        organisation,
        clientId,
        format: labelled(z.enum(['md', 'json', 'env', 'age']), 'Format'),
        includeSecret: labelled(z.boolean(), 'Include secret').default(false),
        recipient: labelled(
          z
            .string()
            .regex(
              /^age1[0-9a-z]+$/,
              "Recipient must be the developer's age public key, e.g. age1ql3z7hjy54pw3hyww5ay….",
            ),
          'Recipient',
        ).optional(),
        path,
      })
      .strict()
      .refine((input) => !input.includeSecret || input.format === 'env', {
        path: ['includeSecret'],
        error: 'Only a .env export can include the secret.',
      })
      .refine((input) => (input.format === 'age') === (input.recipient !== undefined), {
        path: ['recipient'],
        error: "An age export needs the developer's recipient (age1…), and only an age export takes one.",
      }),
  ),
} as const;
