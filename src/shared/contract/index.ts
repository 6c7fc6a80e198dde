// Every operation of OAuth Desk, listed once: its name, the zod schema of its input and the type of its output.
// Each domain keeps its operations in its own file; this table merges them. Electron IPC, the CLI and the e2e test
// bridge are doors onto one dispatch over it. The page imports only types from here (the values are zod schemas).
import { z } from 'zod';
import { activityOperations } from './activity';
import { applicationOperations } from './applications';
import { draftOperations } from './drafts';
import { federatedCredentialOperations } from './federatedCredentials';
import { handoffOperations } from './handoff';
import { organisationEvents, organisationOperations, type OrganisationData } from './organisations';
import { registrationsAsCodeOperations } from './registrationsAsCode';
import { scopeSetEvents, scopeSetOperations } from './scopeSets';
import { secretOperations } from './secrets';
import { userOperations } from './users';

export { event, fieldLabel, labelled, op, type ContractEvent, type Operation } from './operation';
export type { OrganisationData };
export type { FederatedCredential, FederatedDifference, FederatedTokenCheck } from './federatedCredentials';
export type { PendingAppEdit } from './applications';
export {
  activityOperations,
  applicationOperations,
  draftOperations,
  federatedCredentialOperations,
  handoffOperations,
  organisationOperations,
  registrationsAsCodeOperations,
  scopeSetOperations,
  secretOperations,
  userOperations,
};

export const contract = {
  ...organisationOperations,
  ...applicationOperations,
  ...secretOperations,
  ...federatedCredentialOperations,
  ...handoffOperations,
  ...userOperations,
  ...activityOperations,
  ...scopeSetOperations,
  ...draftOperations,
  ...registrationsAsCodeOperations,
} as const;

export type Contract = typeof contract;

/** Every event main pushes to its doors (the window, the CLI's socket), by domain. */
export const contractEvents = {
  ...organisationEvents,
  ...scopeSetEvents,
} as const;
export type ContractEvents = typeof contractEvents;
export type EventName = keyof ContractEvents;
/** What an event carries. */
export type EventOf<E extends EventName> = NonNullable<ContractEvents[E]['payload']>;
export const eventNames = Object.keys(contractEvents) as EventName[];
export { EVENT_CHANNEL, type EventMessage } from '../eventChannel';
export type OperationName = keyof Contract;
/** A table of operations: the whole contract, or one domain's slice of it. */
export type Operations = Record<string, { input: z.ZodType; output?: unknown }>;
/** A parsed input with its organisation resolved: a organisation left out is the current organisation. */
type OrganisationResolved<T> = 'organisation' extends keyof T ? Omit<T, 'organisation'> & { organisation: string } : T;
/** What a handler of an operation of `C` receives: the parsed input, defaults applied and the organisation resolved. */
export type InputIn<C extends Operations, K extends keyof C> = OrganisationResolved<z.infer<C[K]['input']>>;
/** What an operation of `C` answers. */
export type OutputIn<C extends Operations, K extends keyof C> = NonNullable<C[K]['output']>;
/** What a handler receives: the parsed input, defaults applied and the organisation resolved. */
export type InputOf<K extends OperationName> = InputIn<Contract, K>;
/** What a caller passes: defaults may be left out. */
export type RawInputOf<K extends OperationName> = z.input<Contract[K]['input']>;
export type OutputOf<K extends OperationName> = OutputIn<Contract, K>;

export const operationNames = Object.keys(contract) as OperationName[];

/** Whether the operation works on one organisation, named by an optional `organisation` field (the current one if left out). */
export function takesOrganisation(name: OperationName): boolean {
  const input: z.ZodType = contract[name].input;
  return (
    input instanceof z.ZodObject && 'organisation' in input.shape && input.shape.organisation instanceof z.ZodOptional
  );
}

export function isOperationName(value: string): value is OperationName {
  return Object.prototype.hasOwnProperty.call(contract, value);
}

/** The IPC channel of an operation. */
export function channelOf(name: OperationName): string {
  return `oauth-desk:${name}`;
}
