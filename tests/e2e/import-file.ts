// What the Import specs hand the window: an export document as a desk writes it, chosen in Import's file picker the
// way an admin picks a file (main reads and checks it).
import type { Locator, Page } from '@playwright/test';
import type { ExportDocument } from '../../src/shared/model';

const LOCAL: ExportDocument['organisation'] = { id: 'local', org_name: 'local', base_url: 'http://127.0.0.1' };

/** An export of these registrations and no scope set, from the local organisation unless another is named. */
export function exportOf(
  registrations: ExportDocument['registrations'],
  organisation: ExportDocument['organisation'] = LOCAL,
): ExportDocument {
  return {
    format: 'oauth-desk-export',
    version: 1,
    exported_at: new Date().toISOString(),
    organisation,
    registrations,
    scope_sets: [],
  };
}

/** Chooses the document as a JSON file in Import; answers the import dialog, where its dry run shows. */
export async function chooseImportFile(page: Page, document: unknown, name = 'registrations.json'): Promise<Locator> {
  await page.getByTestId('import-file').setInputFiles({
    name,
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(document)),
  });
  return page.getByTestId('import-dialog');
}
