// The few links the window offers (the documentation, an organisation's portal), opened in the user's browser. The
// page names a link; main builds its address from an allow-list and the organisation's record, never from the page.
import { AppError } from '../../shared/errors';
import type { BrowserOpener } from '../ports';
import type { OrganisationRecord } from '../workspace/organisations';
import { isSafeExternalUrl } from '../../shared/externalUrl';
import type { OrganisationService } from './organisations';
import type { SecretClipboard } from '../clipboard/clipboard';

export type LinkName = 'documentation' | 'portal';

/** UiPath's guide to external applications: what every field of a registration means. */
export const DOCUMENTATION_URL =
  'https://docs.uipath.com/automation-cloud/automation-cloud/latest/admin-guide/managing-external-applications';

/** The address of a link, built here; null when the organisation has none (the embedded one has no portal). */
export function linkUrl(link: LinkName, organisation: OrganisationRecord): string | null {
  if (link === 'documentation') return DOCUMENTATION_URL;
  if (organisation.isLocal) return null;
  return `${organisation.baseUrl}/${encodeURIComponent(organisation.orgName)}/portal_/admin/external-apps/oauth`;
}

export interface LinkServiceDeps {
  organisations: OrganisationService;
  /** The system browser; absent where none can be opened. */
  openBrowser?: BrowserOpener;
  /** Main's clipboard, cleared after a while; absent where there is none (the CLI). */
  clipboard?: SecretClipboard;
}

export function linkService(deps: LinkServiceDeps) {
  return {
    async open(link: LinkName, organisationId: string): Promise<{ opened: true; url: string }> {
      const organisation = deps.organisations.get(organisationId);
      const url = linkUrl(link, organisation);
      if (url === null)
        throw AppError.invalid([
          {
            field: 'link',
            message: `${organisation.displayName} is the embedded Identity Server: it has no portal to open.`,
          },
        ]);
      // Built from the organisation's recorded base URL, which checkBaseUrl allowed; checked again as any link is.
      if (!isSafeExternalUrl(url))
        throw AppError.invalid([{ field: 'link', message: 'That address cannot be opened in the browser.' }]);
      if (!deps.openBrowser || deps.openBrowser.canOpen?.() === false)
        throw new AppError('invalid_input', `There is no browser to open here; the address is ${url}.`);
      await deps.openBrowser.open(url);
      return { opened: true, url };
    },
    /** A fresh one-time start address of the sign-in main waits for, on the clipboard: never the authorize URL. */
    async copyAccountSignInLink(id: string): Promise<{ copied: true; clearAfterSeconds: number }> {
      if (!deps.clipboard)
        throw new AppError('invalid_input', 'There is no clipboard to copy the sign-in link to here.');
      await deps.clipboard.put(deps.organisations.accountSignIns.startAddress(id));
      return { copied: true, clearAfterSeconds: deps.clipboard.clearAfterSeconds };
    },
  };
}
export type LinkService = ReturnType<typeof linkService>;
