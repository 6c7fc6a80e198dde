// The management API's request bodies: their shape (zod) and their meaning (the shared registration rules).
import { MAX_INPUT_DEPTH, tooDeepField } from '../../shared/inputDepth';
import { z } from 'zod';
import type { Issue } from '../../shared/errors';
import type { Catalogue } from '../../shared/model';
import { ScopeType } from '../../shared/model';
import {
  DISPLAY_NAME_MAX,
  SECRET_DESCRIPTION_MAX,
  checkRegistration,
  checkSecretDescription,
  checkUser,
  normalizeDraft,
  optionalText,
} from '../../shared/rules';
import type { ClientDraft, SecretRequest } from '../store/clients';
import type { NewUser } from '../store/users';
import { ApiProblem } from './problem';

const ScopeBody = z.object({
  name: z.string({ error: 'Each scope needs a name.' }),
  type: z.enum(ScopeType.options, { error: 'Each scope type must be user or application.' }),
});

const RegistrationFields = {
  name: z.string({ error: 'Application Name is required.' }),
  redirectUri: z.string({ error: 'Redirect URL must be text.' }).nullish(),
  scopes: z.array(ScopeBody, { error: 'Scopes must be a list of { name, type }.' }),
};

const PartitionGlobalId = z
  .string({ error: 'partitionGlobalId is required.' })
  .min(1, 'partitionGlobalId is required.');

export const CreateClientBody = z.object({
  partitionGlobalId: PartitionGlobalId,
  isConfidential: z.boolean({ error: 'Application Type must be Confidential or Non-confidential.' }),
  ...RegistrationFields,
});

export const UpdateClientBody = z.object({
  isConfidential: z.boolean({ error: 'Application Type must be Confidential or Non-confidential.' }).optional(),
  ...RegistrationFields,
});

export const GenerateSecretBody = z.object({
  clientId: z.string({ error: 'clientId is required.' }).min(1, 'clientId is required.'),
  partitionGlobalId: PartitionGlobalId,
  description: z
    .string({ error: 'Description must be text.' })
    .max(SECRET_DESCRIPTION_MAX, `Description must be at most ${SECRET_DESCRIPTION_MAX} characters.`)
    .nullish(),
  expiryTime: z.iso
    .datetime({ offset: true, error: 'Expiration must be a date and time, such as 2030-01-31T00:00:00Z.' })
    .nullish(),
});

export const CreateUserBody = z.object({
  userName: z.string({ error: 'User name is required.' }),
  displayName: z
    .string({ error: 'Display name must be text.' })
    .max(DISPLAY_NAME_MAX, `Display name must be at most ${DISPLAY_NAME_MAX} characters.`)
    .nullish(),
  password: z.string({ error: 'Password is required.' }),
});

/** Parses `body` with `schema`; a shape problem becomes a 400 naming each field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const deep = tooDeepField(body);
  if (deep !== null)
    throw ApiProblem.invalid([
      { field: deep, message: `${deep} is nested more than ${MAX_INPUT_DEPTH} levels deep; no valid body is.` },
    ]);
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues: Issue[] = result.error.issues.map((issue) => ({
    // `scopes.2.type` is reported as `scopes`: the field the admin sees.
    field: typeof issue.path[0] === 'string' ? issue.path[0] : 'body',
    message: issue.path.length === 0 && body === undefined ? 'A JSON body is required.' : issue.message,
  }));
  throw ApiProblem.invalid(issues);
}

/** A registration normalised by the shared normalizeDraft, that passed the rules of registration. */
export function checkedDraft(
  fields: {
    name: string;
    isConfidential: boolean;
    redirectUri?: string | null | undefined;
    scopes: ClientDraft['scopes'];
  },
  catalogue: Catalogue,
): ClientDraft {
  const draft = normalizeDraft(fields);
  const verdict = checkRegistration(draft, catalogue);
  if (verdict.errors.length > 0) throw ApiProblem.invalid(verdict.errors);
  return draft;
}

/** A new secret's description and expiry; an expiry in the past would make a secret that never works. */
export function checkedSecretRequest(body: z.infer<typeof GenerateSecretBody>, now = new Date()): SecretRequest {
  const expiryTime = body.expiryTime ? new Date(body.expiryTime).toISOString() : null;
  if (expiryTime !== null && Date.parse(expiryTime) <= now.getTime())
    throw ApiProblem.invalid([{ field: 'expiryTime', message: 'Expiration must be in the future.' }]);
  const verdict = checkSecretDescription(body.description);
  if (verdict.errors.length > 0) throw ApiProblem.invalid(verdict.errors);
  return { description: optionalText(body.description), expiryTime };
}

/** A new user that passed the shared user rules; the display name falls back to the user name. */
export function checkedUser(body: z.infer<typeof CreateUserBody>): NewUser {
  const verdict = checkUser(body);
  if (verdict.errors.length > 0) throw ApiProblem.invalid(verdict.errors);
  const userName = body.userName.trim();
  const displayName = body.displayName?.trim() ?? '';
  return { userName, displayName: displayName === '' ? userName : displayName, password: body.password };
}
