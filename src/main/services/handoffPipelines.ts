// The handoff of an application with federated credentials: its credentials and ready pipeline snippets (a GitHub
// Actions job, a GitLab CI job, the uip login line, src/shared/pipelineSnippets.ts) filled from the application and its
// organisation; and how the Markdown and .env documents write them. A secretless one (credentials, no secret) carries
// no secret at all: its documents say so instead of where a secret is.
import type { FederatedCredential } from '../../shared/contract';
import type { ExternalClient, Handoff } from '../../shared/model';
import { pipelineSnippets } from '../../shared/pipelineSnippets';
import { withoutControlCharacters } from '../../shared/rules';
import { isSecretless } from '../../shared/secretless';
import type { OrganisationService } from './organisations';

type Pipelines = Pick<Handoff, 'federatedCredentials' | 'pipelines' | 'secretless'>;

/**
 * The application's federated credentials as the organisation has them (none for a non-confidential one); an
 * organisation that will not list them (an admin without the scope) leaves the handoff as it was without them.
 */
export async function federatedCredentialsFor(
  organisations: OrganisationService,
  organisationId: string,
  app: ExternalClient,
): Promise<FederatedCredential[]> {
  if (!app.isConfidential) return [];
  try {
    return await organisations.client(organisationId).federatedCredentials(app.id).list();
  } catch {
    return [];
  }
}

/** The handoff's credentials and snippets, from the application, its token URL and its credentials. */
export function pipelinesOf(
  app: ExternalClient,
  tokenUrl: string,
  applicationScopes: readonly string[],
  credentials: readonly FederatedCredential[],
): Pipelines {
  return {
    federatedCredentials: credentials.map(({ name, issuer, audience, subject }) => ({
      name,
      issuer,
      audience,
      subject,
    })),
    pipelines: pipelineSnippets({ clientId: app.id, tokenUrl, scopes: applicationScopes }, credentials).map(
      ({ id, title, language, audience, text }) => ({ id, title, language, audience, text }),
    ),
    secretless: app.isConfidential && isSecretless(credentials.length, app.secrets.length),
  };
}

/** A fenced code block that holds `text` whatever backtick runs it has, each line without control characters. */
function fenced(text: string, language: string): string[] {
  const lines = text.split('\n').map((line) => withoutControlCharacters(line));
  const longest = Math.max(2, ...lines.flatMap((line) => [...line.matchAll(/`+/g)].map((run) => run[0].length)));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${language}`, ...lines, fence];
}

/**
 * The Markdown of the credentials and the snippets; `code` and `mdText` are the document's own escapes. Nothing when
 * the application has no federated credential.
 */
export function pipelinesMarkdown(h: Handoff, code: (v: string) => string, mdText: (v: string) => string): string[] {
  if (h.federatedCredentials.length === 0) return [];
  const lines = [
    '',
    '## Pipelines (federated credentials, no secret)',
    '',
    'A pipeline signs in with its own ID token as `client_assertion`, in place of a secret, when the token has the issuer, audience and subject of one of these credentials:',
    '',
  ];
  for (const c of h.federatedCredentials)
    lines.push(
      `- ${mdText(c.name)}: issuer ${code(c.issuer)}, audience ${code(c.audience)}, subject ${code(c.subject)}`,
    );
  for (const snippet of h.pipelines)
    lines.push(
      '',
      `### ${mdText(snippet.title)}`,
      '',
      ...fenced(snippet.text, snippet.language === 'yaml' ? 'yaml' : 'sh'),
    );
  return lines;
}

/** The .env's comments: the snippets, each line a comment, so nothing in them becomes a setting. */
export function pipelinesEnv(h: Handoff): string[] {
  if (h.pipelines.length === 0) return [];
  // Blank lines part them (a .env allows them), never a bare "#".
  const lines = ['', '# Pipelines sign in with their own ID token (federated credentials), without a secret:'];
  for (const snippet of h.pipelines)
    lines.push(
      '',
      `# ${snippet.title}:`,
      ...snippet.text.split('\n').map((line) => (line.trim() === '' ? '' : `#   ${withoutControlCharacters(line)}`)),
    );
  return lines;
}
