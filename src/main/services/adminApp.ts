// The organisation's admin application is OAuth Desk's own key to it: ordinary operations refuse it, with the reason,
// and its secret changes only through rotateAdminSecret (adminSecret.ts), which never shows the new one.
import { AppError } from '../../shared/errors';
import type { TenantRecord } from '../workspace/tenants';

/** How the admin manages the admin application instead, by sign-in method. */
function instead(tenant: TenantRecord): string {
  return tenant.signIn === 'account'
    ? `It is the application you sign in to ${tenant.orgName} through; manage it in ${tenant.orgName}'s portal.`
    : `Rotate its secret from the organisation's settings (oauth-desk tenants rotate-admin-secret ${tenant.id}): the new one goes straight to the keychain.`;
}

/** Refuses `clientId` when it is the tenant's admin application; `refusal` says what is not done, e.g. "its secrets are not copied". */
export function refuseAdminApp(tenant: TenantRecord, clientId: string, refusal: string): void {
  if (clientId !== tenant.adminClientId) return;
  throw AppError.invalid([
    {
      field: 'clientId',
      message: `This is the admin application OAuth Desk manages ${tenant.orgName} through, so ${refusal} here. ${instead(tenant)}`,
    },
  ]);
}
