// The organisation's admin application is OAuth Desk's own key to it: ordinary operations refuse it, with the reason,
// and its secret changes only through rotateAdminSecret (adminSecret.ts), which never shows the new one.
import { organisationInWords } from '../../shared/organisationInWords';
import { AppError } from '../../shared/errors';
import type { OrganisationRecord } from '../workspace/organisations';

/** How the admin manages the admin application instead, by sign-in method. */
function instead(organisation: OrganisationRecord): string {
  return organisation.signIn === 'account'
    ? `It is the application you sign in to ${organisationInWords(organisation)} through; manage it in ${organisationInWords(organisation)}'s portal.`
    : `Rotate its secret from the organisation's settings (oauth-desk organisations rotate-admin-secret ${organisation.id}): the new one goes straight to the keychain.`;
}

/** Refuses `clientId` when it is the organisation's admin application; `refusal` says what is not done, e.g. "its secrets are not copied". */
export function refuseAdminApp(organisation: OrganisationRecord, clientId: string, refusal: string): void {
  if (clientId !== organisation.adminClientId) return;
  throw AppError.invalid([
    {
      field: 'clientId',
      message: `This is the admin application OAuth Desk manages ${organisationInWords(organisation)} through, so ${refusal} here. ${instead(organisation)}`,
    },
  ]);
}
