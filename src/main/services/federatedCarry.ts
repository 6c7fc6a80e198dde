// Federated credentials go wherever an application goes (a copy to another organisation, an export and its import):
// they are not secrets. Read from one organisation, judged by the shared rules for the other, and written there, each
// write recorded in Activity.
import { organisationInWords } from '../../shared/organisationInWords';
import type { FederatedCredential } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import {
  describeFederatedChange,
  FEDERATED_CREDENTIALS_MAX,
  federatedCredentialErrors,
  type FederatedCredentialChange,
  type FederatedCredentialFields,
} from '../../shared/federated';
import type { ImportedRegistration } from '../../shared/model';
import type { OrganisationRecord } from '../workspace/organisations';
import type { ActivityService } from './activity';
import { trustsLoopbackIssuers } from './federatedCredentials';
import type { OrganisationService } from './organisations';

export interface CarryDeps {
  organisations: OrganisationService;
  activity: ActivityService;
}

/** A credential's fields as an export document may write them: a description may be left out. */
export type CarriedCredential = Omit<FederatedCredentialFields, 'description'> & { description?: string | null };

/** A credential's fields without its IDs, as another organisation receives them. */
export function fieldsOf(credential: CarriedCredential): FederatedCredentialFields {
  const { name, description, issuer, audience, subject } = credential;
  return { name, description: description?.trim() ? description : null, issuer, audience, subject };
}

/** The application's credentials (only a confidential one has any). */
export async function credentialsOf(
  organisations: OrganisationService,
  organisationId: string,
  app: { id: string; isConfidential: boolean },
): Promise<FederatedCredential[]> {
  if (!app.isConfidential) return [];
  return organisations.client(organisationId).federatedCredentials(app.id).list();
}

/**
 * Why `target` would refuse `incoming` next to the credentials it already has (`existing`), in the rules' words naming
 * each credential; empty when it takes them all.
 */
export function carryRefusals(
  target: OrganisationRecord,
  incoming: readonly FederatedCredentialFields[],
  existing: readonly FederatedCredentialFields[] = [],
  isConfidential = true,
): string[] {
  if (incoming.length === 0) return [];
  if (!isConfidential) return ['Only a confidential application has federated credentials.'];
  const refusals: string[] = [];
  const others = [...existing];
  for (const credential of incoming) {
    const errors = federatedCredentialErrors(credential, {
      others,
      allowLoopbackHttpIssuers: trustsLoopbackIssuers(target),
    });
    refusals.push(...errors.map((e) => `Federated credential “${credential.name}”: ${e.message}`));
    others.push(credential);
  }
  return refusals;
}

/** Creates each credential on `clientId` in `target`, recording each; a refusal names the credential and what exists. */
export async function createCredentials(
  deps: CarryDeps,
  target: OrganisationRecord,
  clientId: string,
  incoming: readonly FederatedCredentialFields[],
  why: string,
): Promise<FederatedCredential[]> {
  const api = deps.organisations.client(target.id).federatedCredentials(clientId);
  const created: FederatedCredential[] = [];
  for (const fields of incoming) {
    try {
      created.push(await api.create(fieldsOf(fields)));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const done = created.length > 0 ? `; ${created.map((c) => `“${c.name}”`).join(', ')} were added` : '';
      throw new AppError(
        error instanceof AppError ? error.code : 'internal',
        `${clientId} exists in ${organisationInWords(target)}, but its federated credential “${fields.name}” was refused: ${reason}${done}. Add it with: oauth-desk apps federated create ${clientId} --org ${target.id} …`,
      );
    }
    const credential = created[created.length - 1];
    if (credential)
      deps.activity.record({
        ...{ organisation: target.id, action: 'federated.create', target: clientId },
        headline: `Added federated credential “${credential.name}” (${why})`,
        detail: `Added federated credential “${credential.name}” (${credential.id}) ${why}: issuer ${credential.issuer}, audience ${credential.audience}, subject ${credential.subject}.`,
      });
  }
  return created;
}

/** Matched by issuer and subject (one credential per pair): what to add, and what to replace with new fields. */
export function credentialPlan(
  existing: readonly FederatedCredential[],
  wanted: readonly FederatedCredentialFields[],
): { add: FederatedCredentialFields[]; replace: { id: string; fields: FederatedCredentialFields }[] } {
  const add: FederatedCredentialFields[] = [];
  const replace: { id: string; fields: FederatedCredentialFields }[] = [];
  for (const fields of wanted.map(fieldsOf)) {
    const same = existing.find((c) => c.issuer === fields.issuer && c.subject === fields.subject);
    if (!same) add.push(fields);
    else if (
      same.name !== fields.name ||
      (same.description ?? null) !== fields.description ||
      same.audience !== fields.audience
    )
      replace.push({ id: same.id, fields });
  }
  return { add, replace };
}

/** An import's credentials for one application, judged: what it adds and replaces (as lines), or why it refuses. */
export interface JudgedCredentials {
  refusals: string[];
  add: FederatedCredentialFields[];
  replace: { id: string; fields: FederatedCredentialFields }[];
  lines: string[];
  /** What it adds and replaces, as the plan carries it. */
  changes: FederatedCredentialChange[];
}

/**
 * The credentials a document wants on an application, against those it has (matched by issuer and subject; none is
 * deleted): each checked by the shared rules, the 20 limit counted with those it keeps.
 */
export function judgeCredentials(
  target: OrganisationRecord,
  existing: readonly FederatedCredential[],
  wanted: readonly FederatedCredentialFields[],
  isConfidential: boolean,
): JudgedCredentials {
  const refusals = carryRefusals(target, wanted, [], isConfidential);
  const { add, replace } = credentialPlan(existing, wanted);
  if (existing.length + add.length > FEDERATED_CREDENTIALS_MAX)
    refusals.push(
      `The application would have ${existing.length + add.length} federated credentials; at most ${FEDERATED_CREDENTIALS_MAX} are allowed.`,
    );
  const changes: FederatedCredentialChange[] = [
    ...add.map(({ name, issuer, subject }) => ({ change: 'add' as const, name, issuer, subject })),
    ...replace.map(({ fields: { name, issuer, subject } }) => ({ change: 'replace' as const, name, issuer, subject })),
  ];
  return { refusals, add, replace, lines: changes.map(describeFederatedChange), changes };
}

/** Writes an import's judged credentials on `clientId`; answers the refusal of the first that fails, or null. */
export async function applyCredentials(
  deps: CarryDeps,
  target: OrganisationRecord,
  clientId: string,
  judged: JudgedCredentials,
): Promise<string | null> {
  try {
    await createCredentials(deps, target, clientId, judged.add, 'by an import');
    const api = deps.organisations.client(target.id).federatedCredentials(clientId);
    for (const { id, fields } of judged.replace) {
      const updated = await api.update(id, fields);
      deps.activity.record({
        ...{ organisation: target.id, action: 'federated.update', target: clientId },
        headline: `Changed federated credential “${updated.name}” (by an import)`,
        detail: `Federated credential ${id} replaced by an import: name ${updated.name}, audience ${updated.audience}.`,
      });
    }
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * An import's row with its credentials judged (none when the document leaves them out): a refusal refuses the row, a
 * change makes an unchanged application an update, each change a line of the row.
 */
export async function judgeRowCredentials(
  organisations: OrganisationService,
  target: OrganisationRecord,
  entry: {
    row: ImportedRegistration;
    match: { id: string; isConfidential: boolean } | null;
    isConfidential: boolean;
    wanted: readonly CarriedCredential[] | undefined;
  },
): Promise<JudgedCredentials | null> {
  const { row, match, wanted } = entry;
  if (wanted === undefined || row.action === 'refused') return null;
  const existing = match ? await credentialsOf(organisations, target.id, match) : [];
  const judged = judgeCredentials(target, existing, wanted.map(fieldsOf), entry.isConfidential);
  if (judged.refusals.length > 0) {
    row.action = 'refused';
    row.changes = [];
    row.messages.push(...judged.refusals);
    return null;
  }
  if (judged.lines.length > 0 && row.action === 'unchanged') row.action = 'update';
  row.changes.push(...judged.lines);
  return judged;
}

/** Creates each credential, going on past one the organisation refuses (an issuer's keys it cannot reach): both told. */
export async function carryCredentials(
  deps: CarryDeps,
  target: OrganisationRecord,
  clientId: string,
  incoming: readonly FederatedCredentialFields[],
  why: string,
): Promise<{ created: FederatedCredential[]; refused: string[] }> {
  const created: FederatedCredential[] = [];
  const refused: string[] = [];
  for (const fields of incoming) {
    try {
      created.push(...(await createCredentials(deps, target, clientId, [fields], why)));
    } catch (error) {
      refused.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { created, refused };
}
