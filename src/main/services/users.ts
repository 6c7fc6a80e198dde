// The local organisation's users, who sign in on its page during an authorization-code flow. Passwords go to the
// Identity Server (which keeps only a hash) and nowhere else: not the workspace, the activity list or a log.
import { organisationInWords } from '../../shared/organisationInWords';
import type { userOperations } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { HandlersOf } from '../dispatch';
import type { Services } from './index';
import type { LocalUser } from '../../shared/model';
import { checkUser } from '../../shared/rules';
import type { OrganisationRecord } from '../workspace/organisations';
import type { ActivityService } from './activity';
import type { OrganisationService } from './organisations';

export function userService(deps: { organisations: OrganisationService; activity: ActivityService }) {
  const { organisations, activity } = deps;

  /** Users are the local organisation's own; a remote organisation's users are managed in its portal. */
  function localOrganisation(organisationId: string): OrganisationRecord {
    const organisation = organisations.get(organisationId);
    if (!organisation.isLocal)
      throw AppError.invalid([
        {
          field: 'organisation',
          message: `Users can be managed only on the local organisation; manage the users of ${organisationInWords(organisation)} in its portal.`,
        },
      ]);
    return organisation;
  }

  return {
    async list(organisationId: string): Promise<LocalUser[]> {
      localOrganisation(organisationId);
      return organisations.client(organisationId).listUsers();
    },

    async create(input: {
      organisation: string;
      userName: string;
      displayName: string;
      password: string;
    }): Promise<LocalUser> {
      localOrganisation(input.organisation);
      const verdict = checkUser(input);
      if (verdict.errors.length > 0) throw AppError.invalid(verdict.errors);
      const user = await organisations.client(input.organisation).createUser({
        userName: input.userName.trim(),
        displayName: input.displayName.trim(),
        password: input.password,
      });
      activity.record({
        organisation: input.organisation,
        action: 'user.create',
        target: user.userName,
        subject: user.userName,
        headline: `Added the user ${user.userName}`,
        detail: `Added user ${user.userName}${user.displayName ? ` (${user.displayName})` : ''}.`,
      });
      return user;
    },

    async delete(organisationId: string, userName: string): Promise<{ deleted: true }> {
      localOrganisation(organisationId);
      await organisations.client(organisationId).deleteUser(userName);
      activity.record({
        organisation: organisationId,
        action: 'user.delete',
        target: userName,
        subject: userName,
        headline: `Removed the user ${userName}`,
        detail: `Removed user ${userName}.`,
      });
      return { deleted: true };
    },
  };
}
export type UserService = ReturnType<typeof userService>;

/** The handlers of the local users' operations (src/shared/contract/users.ts): one line each onto the services. */
export function userHandlers(s: Services): HandlersOf<typeof userOperations> {
  return {
    listUsers: ({ organisation }) => s.users.list(organisation),
    createUser: (input) => s.users.create(input),
    deleteUser: ({ organisation, userName }) => s.users.delete(organisation, userName),
  };
}
