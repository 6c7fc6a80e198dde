// Registrations as code: the export document, re-exported by model.ts. schemas/oauth-desk-export.schema.json says
// the same in JSON Schema (a unit test keeps the two in agreement). RFC 7591 names where they fit, UiPath's resources
// and scope types where they do not; there is no field for a secret.
import { z } from 'zod';

const exportText = (what: string) => z.string({ error: `${what} must be text.` }).min(1, `${what} must not be empty.`);
const exportScopeNames = z.array(exportText('A scope name'), { error: 'Scopes must be a list of scope names.' });

export const ExportResource = z
  .object({
    name: exportText('The resource name'),
    user_scopes: exportScopeNames,
    application_scopes: exportScopeNames,
  })
  .strict();
export type ExportResource = z.infer<typeof ExportResource>;

/** A confidential application's federated credential: not a secret, so an export carries it. */
export const ExportFederatedCredential = z
  .object({
    name: exportText('A federated credential name'),
    description: z.string({ error: 'A federated credential description must be text.' }).nullable().optional(),
    issuer: exportText('A federated credential issuer'),
    audience: exportText('A federated credential audience'),
    subject: exportText('A federated credential subject'),
  })
  .strict();
export type ExportFederatedCredential = z.infer<typeof ExportFederatedCredential>;

export const ExportRegistration = z
  .object({
    client_name: exportText('client_name'),
    /** The App ID in the organisation it came from, for the reader; an import matches applications by name. */
    client_id: z.string().optional(),
    /** none: a non-confidential application; either secret method: a confidential one. */
    token_endpoint_auth_method: z.enum(['none', 'client_secret_basic', 'client_secret_post'], {
      error: 'token_endpoint_auth_method must be none, client_secret_basic or client_secret_post.',
    }),
    redirect_uris: z
      .array(exportText('A redirect URI'), { error: 'redirect_uris must be a list.' })
      .max(1, 'redirect_uris holds at most one URL: an application has one redirect URL.'),
    resources: z.array(ExportResource, { error: 'resources must be a list.' }),
    /** Left out: an import leaves the application's credentials as they are. */
    federated_credentials: z
      .array(ExportFederatedCredential, { error: 'federated_credentials must be a list.' })
      .max(20, 'federated_credentials holds at most 20: an application has at most 20.')
      .optional(),
  })
  .strict();
export type ExportRegistration = z.infer<typeof ExportRegistration>;

export const ExportScopeSet = z
  .object({
    name: exportText('The scope set name'),
    description: z.string(),
    user_scopes: exportScopeNames,
    application_scopes: exportScopeNames,
  })
  .strict();
export type ExportScopeSet = z.infer<typeof ExportScopeSet>;

export const ExportDocument = z
  .object({
    $schema: z.string().optional(),
    format: z.literal('oauth-desk-export', { error: 'format must be "oauth-desk-export".' }),
    version: z.literal(1, { error: 'version must be 1.' }),
    exported_at: z.iso.datetime({ offset: true, error: 'exported_at must be a date and time.' }),
    organisation: z.object({ id: z.string(), org_name: z.string(), base_url: z.string() }).strict(),
    registrations: z.array(ExportRegistration, { error: 'registrations must be a list.' }),
    scope_sets: z.array(ExportScopeSet, { error: 'scope_sets must be a list.' }),
  })
  .strict();
export type ExportDocument = z.infer<typeof ExportDocument>;
