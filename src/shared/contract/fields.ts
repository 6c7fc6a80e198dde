// Input fields several slices of the contract share, each with its label.
import { z } from 'zod';
import { ScopeRequest } from '../model';
import { APP_SCOPES_MAX } from '../rules';
import { SECRET_ID_MESSAGE, isSecretId } from '../secretId';
import { labelled } from './operation';

/** Left out, the operation works on the current organisation (useOrganisation): dispatch fills it in before the handler. */
export const organisation = labelled(z.string().min(1, 'Organisation is required.'), 'Organisation').optional();
/** An organisation the operation must be told, never the current one by default. */
export const namedOrganisation = labelled(z.string().min(1, 'Organisation is required.'), 'Organisation');
export const clientId = labelled(z.string().min(1, 'App ID is required.'), 'App ID');
/** A secret's ID: UiPath's int64, as its decimal digits (src/shared/secretId.ts), however large. */
export const secretId = labelled(
  z.string().min(1, 'Secret ID is required.').refine(isSecretId, SECRET_ID_MESSAGE),
  'Secret ID',
);
export const redirectUri = labelled(z.string().nullable(), 'Redirect URL');
/** The scopes of a registration, a draft or a scope set, each a { name, type } (labelled in model.ts). */
export const scopes = labelled(
  z
    .array(ScopeRequest, { error: 'Scopes must be a list of { name, type }.' })
    .max(APP_SCOPES_MAX, `Scopes must be at most ${APP_SCOPES_MAX.toLocaleString('en-GB')} (one of each is enough).`),
  'Scopes',
);
export const isConfidential = labelled(
  z.boolean({ error: 'Application Type must be Confidential or Non-confidential.' }),
  'Application Type',
);
export const refresh = labelled(z.boolean(), 'Refresh').default(false);
/** Where main writes a file, when the caller names it (the CLI's --output); else main asks with a save dialog. */
export const path = labelled(z.string().min(1, 'Path must not be empty.'), 'Path').optional();
