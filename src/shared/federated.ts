// A federated credential's rules, once: the embedded Identity Server, main, the CLI and (later) the window's linter read
// them here. zod-free, so the page can use them as it types. Source: docs.uipath.com, "Federated identity credentials".

/** At most this many federated credentials per application. */
export const FEDERATED_CREDENTIALS_MAX = 20;
/** A client_assertion longer than this (bytes) is refused before it is validated. */
export const FEDERATED_JWT_MAX_BYTES = 8192;
/** The only signing algorithm UiPath accepts for a client_assertion. */
export const FEDERATED_JWT_ALG = 'RS256';
/** The client_assertion_type of a federated token request. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** How far a JWT's exp and nbf may be off, in seconds. */
export const FEDERATED_CLOCK_SKEW_SECONDS = 60;

export const FEDERATED_NAME_MAX = 100;
export const FEDERATED_DESCRIPTION_MAX = 200;
export const FEDERATED_FIELD_MAX = 600;

export const LOOPBACK_ISSUER_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** A credential as an admin writes it. */
export interface FederatedCredentialFields {
  name: string;
  description: string | null;
  issuer: string;
  audience: string;
  subject: string;
}

/** A credential as stored: its fields and its ID. */
export interface FederatedCredentialLike extends FederatedCredentialFields {
  id: string;
}

export interface FederatedIssue {
  field: 'name' | 'description' | 'issuer' | 'audience' | 'subject' | 'credentials';
  message: string;
  /** An error refuses the credential; a warning only says what will likely go wrong. */
  severity: 'error' | 'warning';
}

export interface FederatedRuleOptions {
  /** The application's other credentials (the one being edited left out). */
  others?: readonly FederatedCredentialFields[];
  /** Only the embedded Identity Server trusts an http issuer, and only on a loopback address. */
  allowLoopbackHttpIssuers?: boolean;
}

/** Whether `issuer` is an http URL on a loopback address (127.0.0.1, [::1], localhost). */
export function isLoopbackHttpIssuer(issuer: string): boolean {
  const url = URL.parse(issuer);
  return url?.protocol === 'http:' && LOOPBACK_ISSUER_HOSTS.has(url.hostname);
}

const CONTROL = /\p{Cc}/u;

function textIssues(fields: FederatedCredentialFields): FederatedIssue[] {
  const issues: FederatedIssue[] = [];
  const error = (field: FederatedIssue['field'], message: string) => issues.push({ field, message, severity: 'error' });
  const name = fields.name.trim();
  if (name === '') error('name', 'Name is required.');
  else if (name.length > FEDERATED_NAME_MAX) error('name', `Name must be at most ${FEDERATED_NAME_MAX} characters.`);
  if (fields.description !== null && fields.description.length > FEDERATED_DESCRIPTION_MAX)
    error('description', `Description must be at most ${FEDERATED_DESCRIPTION_MAX} characters.`);
  for (const field of ['name', 'description', 'issuer', 'audience', 'subject'] as const) {
    const value = fields[field] ?? '';
    if (CONTROL.test(value)) error(field, `${label(field)} must not contain control characters.`);
    if (field !== 'name' && field !== 'description' && value.length > FEDERATED_FIELD_MAX)
      error(field, `${label(field)} must be at most ${FEDERATED_FIELD_MAX} characters.`);
  }
  return issues;
}

function label(field: FederatedIssue['field']): string {
  return field === 'credentials' ? 'Federated credentials' : field.charAt(0).toUpperCase() + field.slice(1);
}

function issuerIssues(issuer: string, options: FederatedRuleOptions): FederatedIssue[] {
  const error = (message: string): FederatedIssue[] => [{ field: 'issuer', message, severity: 'error' }];
  if (issuer.trim() === '') return error('Issuer is required.');
  const url = URL.parse(issuer);
  if (!url || url.host === '') return error('Issuer must be a URL, e.g. https://token.actions.githubusercontent.com.');
  if (url.protocol === 'http:' && isLoopbackHttpIssuer(issuer)) {
    if (!options.allowLoopbackHttpIssuers)
      return error('Issuer must use https (only the embedded Identity Server trusts http on a loopback address).');
  } else if (url.protocol !== 'https:') return error('Issuer must use https.');
  if (url.username !== '' || url.password !== '') return error('Issuer must not contain a user name or password.');
  if (url.search !== '' || url.hash !== '') return error('Issuer must not have a query or a fragment.');
  if (issuer !== issuer.trim()) return error('Issuer must not start or end with spaces: it is matched exactly.');
  if (issuer.endsWith('/'))
    return [
      {
        field: 'issuer',
        message:
          'Issuer ends with a slash: it is matched exactly against the token’s iss, which usually has none ' +
          '(e.g. https://token.actions.githubusercontent.com).',
        severity: 'warning',
      },
    ];
  return [];
}

/**
 * What is wrong with a credential (errors refuse it) and what will likely make it fail (warnings): an https issuer, no
 * wildcard anywhere (matching is exact), one audience, at most 20 per application, one per issuer and subject.
 */
export function federatedCredentialIssues(
  fields: FederatedCredentialFields,
  options: FederatedRuleOptions = {},
): FederatedIssue[] {
  const issues = [...textIssues(fields), ...issuerIssues(fields.issuer, options)];
  const error = (field: FederatedIssue['field'], message: string) => issues.push({ field, message, severity: 'error' });
  if (fields.audience.trim() === '') error('audience', 'Audience is required.');
  else if (/[\s,]/.test(fields.audience.trim()))
    error('audience', 'Audience is one value: a credential has exactly one audience (no spaces or commas).');
  if (fields.subject.trim() === '') error('subject', 'Subject is required.');
  for (const field of ['issuer', 'audience', 'subject'] as const) {
    if (fields[field].includes('*'))
      error(field, `${label(field)} must not contain a wildcard (*): it is matched exactly and would never match.`);
  }
  const others = options.others ?? [];
  if (others.length >= FEDERATED_CREDENTIALS_MAX)
    error('credentials', `An application has at most ${FEDERATED_CREDENTIALS_MAX} federated credentials.`);
  if (others.some((other) => other.issuer === fields.issuer && other.subject === fields.subject))
    error('subject', 'Another federated credential of this application has the same issuer and subject.');
  return issues;
}

/** The errors only (what refuses a credential). */
export function federatedCredentialErrors(
  fields: FederatedCredentialFields,
  options: FederatedRuleOptions = {},
): FederatedIssue[] {
  return federatedCredentialIssues(fields, options).filter((issue) => issue.severity === 'error');
}

/** The size of a JWT in bytes, as sent. */
export function jwtByteLength(jwt: string): number {
  return new TextEncoder().encode(jwt).length;
}

/** A federated credential an import adds or replaces (matched by issuer and subject), as a plan carries it. */
export interface FederatedCredentialChange {
  change: 'add' | 'replace';
  name: string;
  issuer: string;
  subject: string;
}

/** "adds federated credential “CI main” (issuer, subject)": the words of the window's plan and the CLI's alike. */
export function describeFederatedChange(c: FederatedCredentialChange): string {
  return `${c.change === 'add' ? 'adds' : 'replaces'} federated credential “${c.name}” (${c.issuer}, ${c.subject})`;
}
