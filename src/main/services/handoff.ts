// The handoff service: what a developer needs to build the integration, as data and as a Markdown, JSON or .env
// document. A document tells where each secret is kept in the keychain, never the secret; only an export the admin
// explicitly asks for writes the secret, and only into a .env file. Every value is escaped for the document it goes
// into (names from a server are not trusted to be one line), and a file is written new, private, then renamed in place.
import { writePrivately } from '../../node/privateFiles';
import type { handoffOperations } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { HandlersOf } from '../dispatch';
import type { Services } from './index';
import type { FederatedCredential } from '../../shared/contract';
import type { Handoff, ExternalClient } from '../../shared/model';
import { withoutControlCharacters } from '../../shared/rules';
import { endpointsOf } from '../organisation/endpoints';
import type { ChooseSavePath } from '../ports';
import type { Workspace } from '../workspace/workspace';
import type { OrganisationRecord } from '../workspace/organisations';
import type { ActivityService } from './activity';
import type { RegistrationService } from './registrations';
import type { SecretKeeping } from './secretKeeping';
import { refuseAdminApp } from './adminApp';
import { encryptToRecipient } from './ageHandoff';
import { federatedCredentialsFor, pipelinesEnv, pipelinesMarkdown, pipelinesOf } from './handoffPipelines';
import type { OrganisationService } from './organisations';

export type HandoffFormat = 'md' | 'json' | 'env';

function buildHandoff(
  organisation: OrganisationRecord,
  app: ExternalClient,
  workspace: Workspace,
  credentials: readonly FederatedCredential[],
): Handoff {
  const endpoints = endpointsOf(organisation);
  const scopes = app.resources.flatMap((r) => r.scopes);
  const applicationScopes = scopes.filter((s) => s.type === 'application').map((s) => s.name);
  const kept = new Map(workspace.secrets.listForClient(organisation.id, app.id).map((k) => [k.secretId, k]));
  return {
    organisation: organisation.id,
    appId: app.id,
    name: app.name,
    applicationType: app.isConfidential ? 'Confidential' : 'Non-confidential',
    userScopes: scopes.filter((s) => s.type === 'user').map((s) => s.name),
    applicationScopes,
    redirectUri: app.redirectUri,
    issuer: endpoints.issuer,
    tokenUrl: endpoints.tokenUrl,
    authorizeUrl: endpoints.authorizeUrl,
    // Only secrets this workspace put into the keychain: for others there is no entry to point to.
    secrets: app.secrets.flatMap((s) => {
      const keptSecret = kept.get(s.id);
      return keptSecret ? [{ id: s.id, keychain: keptSecret.keychain, expiryTime: s.expiryTime }] : [];
    }),
    ...pipelinesOf(app, endpoints.tokenUrl, applicationScopes, credentials),
  };
}

/**
 * Text as Markdown shows it literally: on one line, and every character that could mark something up there (emphasis,
 * code, links, HTML, a table cell's end, a heading's closing #) escaped.
 */
function mdText(value: string): string {
  return withoutControlCharacters(value).replace(/[\\`*_[\]<>|~&#]/g, (c) => `\\${c}`);
}

/** A code span that holds `value` whatever backticks it has, on one line; `|` escaped, as GFM tables need. */
function code(value: string): string {
  const text = withoutControlCharacters(value).replaceAll('|', '\\|');
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A word for a POSIX shell: as it is when it is plain, else quoted, so nothing in it is expanded or ends the command. */
function shellWord(value: string): string {
  const text = withoutControlCharacters(value);
  if (/^[\w@%+=:,./-]+$/.test(text)) return text;
  if (/^[\w@%+=:,./ -]+$/.test(text)) return `"${text}"`;
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** A shell word always in quotes (a value the reader may edit, such as a scope list). */
function shellQuoted(value: string): string {
  const word = shellWord(value);
  return word.startsWith("'") || word.startsWith('"') ? word : `"${word}"`;
}

const list = (items: readonly string[]) => (items.length > 0 ? items.map(code).join(' ') : '—');

function handoffMarkdown(h: Handoff, orgName: string): string {
  const lines = [
    `# ${mdText(h.name || `Application ${h.appId}`)}`,
    '',
    `| | |`,
    `|---|---|`,
    `| App ID | ${code(h.appId)} |`,
    `| Application type | ${h.applicationType} |`,
    `| Organization | ${mdText(orgName)} (organisation ${code(h.organisation)}) |`,
    `| User scopes | ${list(h.userScopes)} |`,
    `| Application scopes | ${list(h.applicationScopes)} |`,
    `| Redirect URL | ${h.redirectUri ? code(h.redirectUri) : '—'} |`,
    `| Issuer | ${code(h.issuer)} |`,
    `| Token URL | ${code(h.tokenUrl)} |`,
    `| Authorize URL | ${code(h.authorizeUrl)} |`,
    '',
    '## Secret',
    '',
  ];
  const [first] = h.secrets;
  if (h.applicationType === 'Non-confidential') {
    lines.push('A non-confidential application has no secret: use the authorization code flow with PKCE (S256).');
  } else if (h.secretless) {
    lines.push(
      'This application is secretless: it has no secret. Pipelines sign in with a federated credential (below).',
    );
  } else if (first === undefined) {
    lines.push("No secret of this application is in this workspace's keychain. Ask the admin for one.");
  } else {
    lines.push('The secret is not in this document. It is in the OS keychain:', '');
    for (const s of h.secrets)
      lines.push(
        `- secret ${code(s.id)}: service ${code(s.keychain.service)}, account ${code(s.keychain.account)}${
          s.expiryTime ? `, expires ${mdText(s.expiryTime)}` : ', does not expire'
        }`,
      );
    lines.push(
      '',
      `Read it on Linux with ${code(
        `secret-tool lookup service ${shellWord(first.keychain.service)} account ${shellWord(first.keychain.account)}`,
      )}` + ', on macOS with Keychain Access, on Windows with Credential Manager.',
    );
  }
  if (h.applicationScopes.length > 0 && h.applicationType === 'Confidential' && !h.secretless) {
    lines.push(
      '',
      '## Getting a token (client credentials)',
      '',
      '```sh',
      `curl -s ${shellWord(h.tokenUrl)} \\`,
      '  -d grant_type=client_credentials \\',
      `  -d client_id=${shellWord(h.appId)} \\`,
      '  -d client_secret="$CLIENT_SECRET" \\',
      `  -d scope=${shellQuoted(h.applicationScopes.join(' '))}`,
      '```',
    );
  }
  if (h.userScopes.length > 0) {
    lines.push(
      '',
      '## Signing a user in (authorization code)',
      '',
      `Send the user to ${code(h.authorizeUrl)} with ${code(`client_id=${h.appId}`)}, ${code(
        `redirect_uri=${h.redirectUri ?? ''}`,
      )}, \`response_type=code\`, ${code(`scope=${h.userScopes.join(' ')}`)}${
        h.applicationType === 'Non-confidential' ? ' and a PKCE `code_challenge` (S256)' : ''
      }, then exchange the code at ${code(h.tokenUrl)}.`,
    );
  }
  lines.push(...pipelinesMarkdown(h, code, mdText));
  return `${lines.join('\n')}\n`;
}

/**
 * A value as a .env line understands it: double-quoted; backslash, quote and `$` (which dotenv-expand and Compose
 * would expand) escaped; a line break written as \\n, so a value can never start a line of its own.
 */
function envValue(value: string): string {
  const escaped = value
    .replace(/[\\"$]/g, (c) => `\\${c}`)
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r');
  return `"${withoutControlCharacters(escaped, '')}"`;
}

/** A comment's text: on one line, so nothing in it becomes a setting. */
const envComment = (value: string) => withoutControlCharacters(value);

/** JSON as JSON.stringify writes it, with the characters it leaves raw (DEL, C1, U+2028/U+2029) escaped too. */
function jsonDocument(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )}\n`;
}

/**
 * The .env document. OAUTH_SCOPE holds the scopes of the app's own flow (application scopes for client credentials
 * when it has any, else its user scopes); both types are listed apart as well, since one name can stand under both.
 * `secret` is written only when the admin asked for it in an export; otherwise the line stays empty and a comment
 * says where the secret is.
 */
function handoffEnv(h: Handoff, orgName: string, secret: { id: string; value: string } | null = null): string {
  const lines = [
    `# ${envComment(h.name || `Application ${h.appId}`)}: OAuth settings for the integration (OAuth Desk handoff)`,
    `# Organization ${envComment(orgName)} (organisation ${envComment(h.organisation)}); application type ${h.applicationType}`,
    `OAUTH_CLIENT_ID=${envValue(h.appId)}`,
    `OAUTH_ISSUER=${envValue(h.issuer)}`,
    `OAUTH_TOKEN_URL=${envValue(h.tokenUrl)}`,
    `OAUTH_AUTHORIZE_URL=${envValue(h.authorizeUrl)}`,
    `OAUTH_REDIRECT_URI=${envValue(h.redirectUri ?? '')}`,
    `OAUTH_SCOPE=${envValue((h.applicationScopes.length > 0 ? h.applicationScopes : h.userScopes).join(' '))}`,
    `OAUTH_USER_SCOPE=${envValue(h.userScopes.join(' '))}`,
    `OAUTH_APPLICATION_SCOPE=${envValue(h.applicationScopes.join(' '))}`,
  ];
  if (h.applicationType === 'Non-confidential') {
    lines.push('# A non-confidential application has no secret: use the authorization code flow with PKCE (S256).');
  } else if (h.secretless) {
    lines.push('# Secretless: this application has no secret; pipelines sign in with a federated credential.');
  } else if (secret) {
    lines.push(
      `# Secret ${envComment(secret.id)}. Keep this file private, and out of version control.`,
      `OAUTH_CLIENT_SECRET=${envValue(secret.value)}`,
    );
  } else {
    const newest = h.secrets.at(-1);
    lines.push(
      newest
        ? `# The secret is in the OS keychain: service ${envComment(newest.keychain.service)}, account ${envComment(newest.keychain.account)}` +
            ` (on Linux: secret-tool lookup service ${shellWord(newest.keychain.service)} account ${shellWord(newest.keychain.account)}).`
        : '# No secret of this application is in the keychain of the workspace that wrote this file; ask the admin for one.',
      'OAUTH_CLIENT_SECRET=',
    );
  }
  lines.push(...pipelinesEnv(h));
  return `${lines.join('\n')}\n`;
}

/** The document of a handoff in a format, every value escaped for it; `secret` only in a .env the admin asked for. */
export function handoffDocument(
  handoff: Handoff,
  orgName: string,
  format: HandoffFormat,
  secret: { id: string; value: string } | null = null,
): string {
  if (format === 'json') return jsonDocument(handoff);
  if (format === 'env') return handoffEnv(handoff, orgName, secret);
  return handoffMarkdown(handoff, orgName);
}

const EXTENSIONS: Record<HandoffFormat, string> = { md: 'md', json: 'json', env: 'env' };

/** A file name for the save dialog, from the application's name. */
export function suggestedFileName(appName: string, format: HandoffFormat): string {
  const base = appName
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${base || 'application'}.${EXTENSIONS[format]}`;
}

export interface HandoffServiceDeps {
  workspace: Workspace;
  organisations: OrganisationService;
  registrations: RegistrationService;
  secretKeeping: SecretKeeping;
  activity: ActivityService;
  /** Absent where no dialog can be shown (the CLI): an export then needs a path. */
  chooseSavePath?: ChooseSavePath;
}

/** What `exportHandoff` is asked for. */
export interface HandoffExport {
  organisation: string;
  clientId: string;
  format: HandoffFormat | 'age';
  includeSecret: boolean;
  /** The developer's age public key: an `age` export is the .env with the secret, encrypted to it. */
  recipient?: string;
  path?: string;
}

async function prepare(deps: HandoffServiceDeps, organisationId: string, clientId: string) {
  const organisation = deps.organisations.get(organisationId);
  const app = await deps.registrations.get(organisationId, clientId);
  const credentials = await federatedCredentialsFor(deps.organisations, organisationId, app);
  return { organisation, app, handoff: buildHandoff(organisation, app, deps.workspace, credentials) };
}

async function handoffOf(
  deps: HandoffServiceDeps,
  organisationId: string,
  clientId: string,
  format: HandoffFormat,
): Promise<{ handoff: Handoff; document: string }> {
  const { organisation, handoff } = await prepare(deps, organisationId, clientId);
  return { handoff, document: handoffDocument(handoff, organisation.orgName, format) };
}

/** The secret an export includes: the newest by creation among those the organisation still has and this workspace holds. */
async function secretToInclude(
  deps: HandoffServiceDeps,
  organisation: OrganisationRecord,
  app: ExternalClient,
): Promise<{ id: string; value: string }> {
  refuseAdminApp(organisation, app.id, 'its secret is not written into an export');
  const live = new Set(app.secrets.map((s) => s.id));
  const newest = deps.workspace.secrets
    .listForClient(organisation.id, app.id)
    .filter((r) => live.has(r.secretId))
    .at(-1);
  if (!newest)
    throw AppError.invalid([
      {
        field: 'includeSecret',
        message: `This workspace holds no secret of "${app.name}" in the keychain to include.`,
      },
    ]);
  return { id: newest.secretId, value: await deps.secretKeeping.read(organisation.id, app.id, newest.secretId) };
}

/** The document in the export's format; an `age` one is the .env, with the secret, encrypted to the recipient. */
async function exportedDocument(
  input: HandoffExport,
  handoff: Handoff,
  orgName: string,
  secret: { id: string; value: string } | null,
): Promise<string> {
  if (input.format === 'age') return encryptToRecipient(handoffEnv(handoff, orgName, secret), input.recipient ?? '');
  return handoffDocument(handoff, orgName, input.format, secret);
}

/** The path given, or the one the user chooses (null when they cancel); without a dialog, a path is needed. */
async function exportPath(deps: HandoffServiceDeps, input: HandoffExport, appName: string): Promise<string | null> {
  if (input.path !== undefined) return input.path;
  if (!deps.chooseSavePath) throw AppError.invalid([{ field: 'path', message: 'Give the path of the file to write.' }]);
  return deps.chooseSavePath(
    input.format === 'age' ? `${suggestedFileName(appName, 'env')}.age` : suggestedFileName(appName, input.format),
  );
}

/**
 * Writes the document to `path`, or where the user chooses. With `includeSecret` (.env only) the newest secret
 * this workspace holds is read from the keychain here in main and written into a file only its owner can read.
 */
async function exportHandoff(
  deps: HandoffServiceDeps,
  input: HandoffExport,
): Promise<{ path: string } | { cancelled: true }> {
  const { organisation, app, handoff } = await prepare(deps, input.organisation, input.clientId);
  if (input.includeSecret && input.format !== 'env')
    throw AppError.invalid([{ field: 'includeSecret', message: 'Only a .env export can include the secret.' }]);
  const secret = input.includeSecret || input.format === 'age' ? await secretToInclude(deps, organisation, app) : null;
  const document = await exportedDocument(input, handoff, organisation.orgName, secret);
  const path = await exportPath(deps, input, app.name);
  if (path === null) return { cancelled: true };
  writePrivately(path, document);
  deps.activity.record({
    organisation: organisation.id,
    action: 'handoff.export',
    target: app.id,
    headline: `Exported the developer handoff as ${input.format}${secret ? ', with the secret' : ''}`,
    detail: `Exported the handoff of "${app.name}" as ${input.format} to ${path}${
      secret ? `, including secret ${secret.id} (at the admin's request)` : ''
    }.`,
  });
  return { path };
}

export function handoffService(deps: HandoffServiceDeps) {
  return {
    handoff: (organisationId: string, clientId: string, format: HandoffFormat) =>
      handoffOf(deps, organisationId, clientId, format),
    export: (input: HandoffExport) => exportHandoff(deps, input),
  };
}
export type HandoffService = ReturnType<typeof handoffService>;

/** The handlers of the handoff's operations (src/shared/contract/handoff.ts): one line each onto the services. */
export function handoffHandlers(s: Services): HandlersOf<typeof handoffOperations> {
  return {
    handoffApp: ({ organisation, clientId, format }) => s.handoff.handoff(organisation, clientId, format),
    exportHandoff: (input) => s.handoff.export(input),
  };
}
