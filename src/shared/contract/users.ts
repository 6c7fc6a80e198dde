// The users of the local (embedded) organisation, who sign in on its page during an authorization-code flow.
import { z } from 'zod';
import type { LocalUser } from '../model';
import { organisation } from './fields';
import { labelled, op } from './operation';

export const userOperations = {
  /** The users of the local organisation, who sign in on its page during an authorization-code flow. */
  listUsers: op<LocalUser[]>()(z.object({ organisation }).strict()),
  createUser: op<LocalUser>()(
    z
      .object({
        organisation,
        userName: labelled(z.string({ error: 'User name is required.' }), 'User name'),
        displayName: labelled(z.string(), 'Display name').default(''),
        password: labelled(z.string({ error: 'Password is required.' }), 'Password'),
      })
      .strict(),
  ),
  deleteUser: op<{ deleted: true }>()(
    z.object({ organisation, userName: labelled(z.string().min(1, 'User name is required.'), 'User name') }).strict(),
  ),
} as const;
