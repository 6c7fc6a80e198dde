// Registrations as code: an organisation's registrations and the scope sets as a document
// (schemas/oauth-desk-export.schema.json), exported, or imported with a dry run first.
import { z } from 'zod';
import { ExportDocument, type ImportResult } from '../model';
import { path, organisation } from './fields';
import { labelled, op } from './operation';

export const registrationsAsCodeOperations = {
  /** An organisation's registrations and the scope sets as a document (schemas/oauth-desk-export.schema.json); never a secret. */
  exportRegistrations: op<ExportDocument>()(z.object({ organisation }).strict()),
  /** Writes that document to a file the user chooses (a save dialog when `path` is not given). */
  exportRegistrationsFile: op<{ path: string } | { cancelled: true }>()(z.object({ organisation, path }).strict()),
  /**
   * Per application of the document: create, update, unchanged, or refused with the rule's message, matched by name in
   * the organisation; scope sets by name in the workspace. Changes something only when `dryRun` is false.
   */
  importRegistrations: op<ImportResult>()(
    z
      .object({
        organisation,
        document: labelled(ExportDocument, 'Document'),
        dryRun: labelled(z.boolean({ error: 'Dry run must be true or false.' }), 'Dry run').default(true),
      })
      .strict(),
  ),
} as const;
