// Registrations as code for the current organisation: Export through main's save dialog, and Import of a document the
// admin picked (a dry run first, then the same document for real once confirmed).
import { defineStore } from 'pinia';
import type { ExportDocument, ImportResult } from '../../../shared/model';
import { api } from '../api';
import { useApplicationsStore } from './applications';
import { useScopeSetsStore } from './scopeSets';
import { useOrganisationStore } from './organisation';

export const useRegistrationsAsCodeStore = defineStore('registrationsAsCode', () => {
  const organisation = useOrganisationStore();

  /** Writes the organisation's registrations and scope sets where the admin chooses; null when cancelled. */
  async function exportFile(): Promise<string | null> {
    const answer = await api.exportRegistrationsFile({ organisation: organisation.currentId });
    return 'path' in answer ? answer.path : null;
  }

  /**
   * The diff per application (dryRun), or the import itself; afterwards the list and the sets are read again. The
   * document is a file's JSON as it was read: main parses it by the contract's ExportDocument and refuses one that is
   * not an export, naming the field, so the page holds no schema of its own.
   */
  async function importDocument(document: unknown, dryRun: boolean): Promise<ImportResult> {
    const result = await api.importRegistrations({
      organisation: organisation.currentId,
      document: document as ExportDocument,
      dryRun,
    });
    if (!dryRun) {
      await useApplicationsStore()
        .load()
        .catch(() => undefined);
      await useScopeSetsStore()
        .load()
        .catch(() => undefined);
    }
    return result;
  }

  return { exportFile, importDocument };
});
