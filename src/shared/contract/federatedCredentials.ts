// An application's federated credentials (UiPath: "External client — Federated credentials"): list, add, replace and
// delete them, and explain why a pipeline's token would be refused. They are not secrets: no value goes to the keychain.
import { z } from 'zod';
import {
  FEDERATED_DESCRIPTION_MAX,
  FEDERATED_FIELD_MAX,
  FEDERATED_JWT_MAX_BYTES,
  FEDERATED_NAME_MAX,
} from '../federated';
import { clientId, organisation } from './fields';
import { labelled, op } from './operation';

/** A federated credential as the organisation holds it. */
export interface FederatedCredential {
  id: string;
  clientId: string;
  name: string;
  description: string | null;
  /** An https URI, matched exactly against the JWT's `iss`. */
  issuer: string;
  /** One string, which must appear in the JWT's `aud`. */
  audience: string;
  /** Matched exactly against the JWT's `sub`; no wildcards. */
  subject: string;
}

/** A claim of a pasted JWT that keeps it from matching a credential. */
export interface FederatedDifference {
  claim: 'iss' | 'aud' | 'sub' | 'alg' | 'size' | 'exp' | 'nbf';
  expected: string;
  actual: string;
  /** The difference in words, e.g. "sub differs from the credential's subject at character 18". */
  message: string;
}

/** What main read of a pasted JWT, and how it fares against each credential of the application. */
export interface FederatedTokenCheck {
  token: {
    /** False when the text is not a JWT at all; `problem` then says why. */
    readable: boolean;
    problem: string | null;
    alg: string | null;
    sizeBytes: number;
    iss: string | null;
    aud: string[];
    sub: string | null;
    /** ISO date-times. */
    exp: string | null;
    nbf: string | null;
    expired: boolean;
  };
  /** The credential the token would match, if any. */
  matchedCredentialId: string | null;
  credentials: { id: string; name: string; matches: boolean; differences: FederatedDifference[] }[];
}

const text = (label: string, max: number) =>
  labelled(z.string().min(1, `${label} is required.`).max(max, `${label} must be at most ${max} characters.`), label);

const credentialFields = {
  name: text('Name', FEDERATED_NAME_MAX),
  description: labelled(
    z
      .string()
      .max(FEDERATED_DESCRIPTION_MAX, `Description must be at most ${FEDERATED_DESCRIPTION_MAX} characters.`)
      .nullable(),
    'Description',
  ).default(null),
  issuer: text('Issuer', FEDERATED_FIELD_MAX),
  audience: text('Audience', FEDERATED_FIELD_MAX),
  subject: text('Subject', FEDERATED_FIELD_MAX),
};
const credentialId = labelled(z.string().min(1, 'Credential ID is required.'), 'Credential ID');

export const federatedCredentialOperations = {
  /** The application's federated credentials, as the organisation lists them (empty when there are none). */
  listFederatedCredentials: op<FederatedCredential[]>()(z.object({ organisation, clientId }).strict()),
  /** Adds one; the organisation checks that the issuer's JWKS can be reached. */
  createFederatedCredential: op<FederatedCredential>()(
    z.object({ organisation, clientId, ...credentialFields }).strict(),
  ),
  /** Replaces one whole (UiPath's update is a full replace). */
  updateFederatedCredential: op<FederatedCredential>()(
    z.object({ organisation, clientId, id: credentialId, ...credentialFields }).strict(),
  ),
  /** Deletes one: new tokens for it are refused; tokens already issued live out their hour. */
  deleteFederatedCredential: op<{ deleted: true }>()(z.object({ organisation, clientId, id: credentialId }).strict()),
  /**
   * Why was my token refused? Decodes a pasted JWT in main (never sent anywhere, never stored or logged) and says
   * which credential it matches, or for each credential which claim differs.
   */
  checkFederatedToken: op<FederatedTokenCheck>()(
    z
      .object({
        organisation,
        clientId,
        jwt: labelled(
          z
            .string()
            .trim()
            .min(1, 'Token is required.')
            .max(FEDERATED_JWT_MAX_BYTES * 4, 'Token is far longer than any JWT UiPath accepts.'),
          'Token',
        ),
      })
      .strict(),
  ),
} as const;
