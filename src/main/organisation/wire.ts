// UiPath's answers as its published API description allows them (schemas/uipath-external-applications.openapi.yaml),
// read into the app's own shapes. Every field of ExternalClientDto, ExternalResourceDto, ExternalScopeDto and
// SecretDto may be null or absent: a null list reads as empty, a null text as absent. Only what the app cannot use is
// refused (an application without an App ID), in a sentence that names it. A secret ID is an int64, which may be past
// JavaScript's safe integers: it is kept exactly, as its decimal digits, and never rounded.
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type {
  AppResource,
  Catalogue,
  CatalogueResource,
  CatalogueScope,
  ExternalClient,
  GrantedScope,
  SecretInfo,
} from '../../shared/model';
import { canonicalSecretId } from '../../shared/secretId';
import { APP_JSON_MAX_BYTES, APP_SCOPES_MAX } from '../../shared/rules';

/** Whole numbers past 2^53 as the source text wrote them (JSON.parse's source access); every other value as is. */
export function losslessNumber(source: string): number | string {
  const value = Number(source);
  return !Number.isSafeInteger(value) && /^-?\d+$/.test(source) ? source : value;
}

type Reviver = (key: string, value: unknown, context?: { source?: string }) => unknown;

/** JSON.parse that keeps an integer too large for a JavaScript number as its digits instead of rounding it. */
export function parseJsonLosslessly(text: string): unknown {
  const reviver: Reviver = (_key, value, context) =>
    typeof value === 'number' && context?.source !== undefined ? losslessNumber(context.source) : value;
  return JSON.parse(text, reviver);
}

const text = z.string().nullish();
const list = <T extends z.ZodType>(item: T) => z.array(item).nullish();
/** An int64 as a JSON number, or as digits when it was too large for one (see losslessNumber). */
const SecretIdValue = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]);

export const ScopeTypeDto = z.enum(['user', 'application', 'userAndApplication']);

export const ExternalScopeDto = z.object({
  name: text,
  displayName: text,
  description: text,
  type: ScopeTypeDto.nullish(),
});

export const ExternalResourceDto = z.object({
  name: text,
  displayName: text,
  description: text,
  scopes: list(ExternalScopeDto),
});

export const SecretDto = z.object({
  id: SecretIdValue.nullish(),
  description: text,
  secret: text,
  creationTime: text,
  expiryTime: text,
  /** Not in UiPath's description; the embedded server adds it. */
  lastUsedTime: text,
});
export type SecretDto = z.infer<typeof SecretDto>;

export const ExternalClientDto = z.object({
  name: text,
  id: text,
  secret: text,
  isConfidential: z.boolean().nullish(),
  redirectUri: text,
  resources: list(ExternalResourceDto),
  secrets: list(SecretDto),
});
export type ExternalClientDto = z.infer<typeof ExternalClientDto>;

/** The secret ID as the app keeps it (decimal digits), or null when the answer carries none it can use. */
export function secretIdOf(value: unknown): string | null {
  const parsed = SecretIdValue.safeParse(value);
  return parsed.success ? canonicalSecretId(parsed.data) : null;
}

function secretOf(dto: z.infer<typeof SecretDto>): SecretInfo | null {
  const id = secretIdOf(dto.id);
  // A secret without an ID can be neither deleted nor told apart: there is nothing the app can do with it.
  if (id === null) return null;
  return {
    id,
    description: dto.description ?? null,
    creationTime: dto.creationTime ?? null,
    expiryTime: dto.expiryTime ?? null,
    lastUsedTime: dto.lastUsedTime ?? null,
  };
}

/** A granted scope typed userAndApplication is granted both ways: one grant of each type. */
function grantsOf(scope: z.infer<typeof ExternalScopeDto>): GrantedScope[] {
  if (!scope.name) return [];
  const base = { name: scope.name, displayName: scope.displayName ?? scope.name, description: scope.description ?? '' };
  const types = scope.type === 'userAndApplication' ? (['user', 'application'] as const) : [scope.type ?? 'user'];
  return types.map((type) => ({ ...base, type }));
}

function resourceOf(dto: z.infer<typeof ExternalResourceDto>): AppResource {
  const name = dto.name ?? dto.displayName ?? '';
  return {
    name,
    displayName: dto.displayName ?? name,
    description: dto.description ?? '',
    scopes: (dto.scopes ?? []).flatMap(grantsOf),
  };
}

/** How an application is named in a sentence when its answer may lack a name. */
export function applicationWords(name: string | null | undefined, id?: string | null): string {
  if (name) return `“${name}”`;
  return id ? `the application ${id} (it has no name)` : 'an application without a name';
}

/** Past the caps of one application (APP_SCOPES_MAX, APP_JSON_MAX_BYTES), said by name: it is not held or kept. */
function refuseOversized(dto: ExternalClientDto, inWords: string): void {
  const scopes = (dto.resources ?? []).reduce((sum, resource) => sum + (resource.scopes?.length ?? 0), 0);
  const size = scopes > APP_SCOPES_MAX ? 0 : Buffer.byteLength(JSON.stringify(dto));
  if (scopes <= APP_SCOPES_MAX && size <= APP_JSON_MAX_BYTES) return;
  const what =
    scopes > APP_SCOPES_MAX
      ? `${scopes.toLocaleString('en-GB')} scopes, more than the ${APP_SCOPES_MAX.toLocaleString('en-GB')}`
      : `${(size / (1024 * 1024)).toFixed(1)} MB of JSON, more than the ${APP_JSON_MAX_BYTES / (1024 * 1024)} MB`;
  throw new AppError(
    'server_error',
    `${inWords} answered ${applicationWords(dto.name, dto.id)} (App ID ${dto.id ?? 'none'}) with ${what} OAuth Desk reads for one application; nothing of the answer was kept. Check that application in the organisation.`,
  );
}

/**
 * An ExternalClientDto as the app's ExternalClient; refused only when it has no App ID, in a sentence naming it.
 * A missing type is taken as confidential only when the answer shows a secret. `inWords` names the organisation.
 */
export function externalClientOf(dto: ExternalClientDto, inWords: string): ExternalClient {
  if (!dto.id)
    throw new AppError(
      'server_error',
      `${inWords} answered ${dto.name ? `“${dto.name}”` : 'an application'} without an App ID, so OAuth Desk cannot manage it.`,
    );
  refuseOversized(dto, inWords);
  const secrets = (dto.secrets ?? []).map(secretOf).filter((s): s is SecretInfo => s !== null);
  return {
    id: dto.id,
    name: dto.name ?? '',
    isConfidential: dto.isConfidential ?? (secrets.length > 0 || Boolean(dto.secret)),
    redirectUri: dto.redirectUri ?? null,
    resources: (dto.resources ?? []).map(resourceOf).filter((r) => r.scopes.length > 0 || r.name !== ''),
    secrets,
  };
}

function catalogueScopeOf(dto: z.infer<typeof ExternalScopeDto>): CatalogueScope | null {
  if (!dto.name) return null;
  return {
    name: dto.name,
    displayName: dto.displayName ?? dto.name,
    description: dto.description ?? '',
    // A scope whose use the catalogue does not say may be asked for either way; the organisation decides.
    type: dto.type ?? 'userAndApplication',
  };
}

/** The resource catalogue; a resource or scope without a name cannot be granted and is left out. */
export function catalogueOf(dtos: readonly z.infer<typeof ExternalResourceDto>[] | null | undefined): Catalogue {
  const catalogue: CatalogueResource[] = [];
  for (const dto of dtos ?? []) {
    const name = dto.name ?? dto.displayName;
    if (!name) continue;
    catalogue.push({
      name,
      displayName: dto.displayName ?? name,
      description: dto.description ?? '',
      scopes: (dto.scopes ?? []).map(catalogueScopeOf).filter((s): s is CatalogueScope => s !== null),
    });
  }
  return catalogue;
}

/** A SecretDto answered by GenerateSecret as the app's SecretInfo, or null when it carries no usable ID. */
export function secretInfoOf(dto: SecretDto): SecretInfo | null {
  return secretOf(dto);
}
