// The local tenant's users, who sign in on its page during an authorization-code flow. Passwords go to the
// Identity Server (which keeps only a hash) and nowhere else: not the workspace, the activity list or a log.
import type { userOperations } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { HandlersOf } from '../dispatch';
import type { Services } from './index';
import type { LocalUser } from '../../shared/model';
import { checkUser } from '../../shared/rules';
import type { TenantRecord } from '../workspace/tenants';
import type { ActivityService } from './activity';
import type { TenantService } from './organisations';

export function userService(deps: { tenants: TenantService; activity: ActivityService }) {
  const { tenants, activity } = deps;

  /** Users are the local tenant's own; a remote organisation's users are managed in its portal. */
  function localTenant(tenantId: string): TenantRecord {
    const tenant = tenants.get(tenantId);
    if (!tenant.isLocal)
      throw AppError.invalid([
        {
          field: 'tenant',
          message: `Users can be managed only on the local tenant; manage the users of ${tenant.orgName} in its portal.`,
        },
      ]);
    return tenant;
  }

  return {
    async list(tenantId: string): Promise<LocalUser[]> {
      localTenant(tenantId);
      return tenants.client(tenantId).listUsers();
    },

    async create(input: {
      tenant: string;
      userName: string;
      displayName: string;
      password: string;
    }): Promise<LocalUser> {
      localTenant(input.tenant);
      const verdict = checkUser(input);
      if (verdict.errors.length > 0) throw AppError.invalid(verdict.errors);
      const user = await tenants.client(input.tenant).createUser({
        userName: input.userName.trim(),
        displayName: input.displayName.trim(),
        password: input.password,
      });
      activity.record({
        tenant: input.tenant,
        action: 'user.create',
        target: user.userName,
        subject: user.userName,
        detail: `Added the user ${user.userName}\nAdded user ${user.userName}${user.displayName ? ` (${user.displayName})` : ''}.`,
      });
      return user;
    },

    async delete(tenantId: string, userName: string): Promise<{ deleted: true }> {
      localTenant(tenantId);
      await tenants.client(tenantId).deleteUser(userName);
      activity.record({
        tenant: tenantId,
        action: 'user.delete',
        target: userName,
        subject: userName,
        detail: `Removed the user ${userName}\nRemoved user ${userName}.`,
      });
      return { deleted: true };
    },
  };
}
export type UserService = ReturnType<typeof userService>;

/** The handlers of the local users' operations (src/shared/contract/users.ts): one line each onto the services. */
export function userHandlers(s: Services): HandlersOf<typeof userOperations> {
  return {
    listUsers: ({ tenant }) => s.users.list(tenant),
    createUser: (input) => s.users.create(input),
    deleteUser: ({ tenant, userName }) => s.users.delete(tenant, userName),
  };
}
