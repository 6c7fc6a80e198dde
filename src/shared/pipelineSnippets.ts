// The developer handoff of a secretless application: in place of a secret, ready pipeline snippets that ask the
// workload's identity provider for an ID token with the credential's audience and trade it for an access token with
// client_assertion at the organisation's token URL. Pure and zod-free; every value is quoted for where it goes.
import { JWT_BEARER_ASSERTION_TYPE } from './federated';
import { GITHUB_ISSUER, presetOfIssuer } from './federatedPresets';

export interface SnippetApp {
  /** The application's App ID (client_id). */
  clientId: string;
  /** The organisation's token URL (…/identity_/connect/token). */
  tokenUrl: string;
  /** The application scopes the token asks for. */
  scopes: readonly string[];
}

export interface SnippetCredential {
  issuer: string;
  audience: string;
}

export interface PipelineSnippet {
  id: 'github' | 'gitlab' | 'uip';
  title: string;
  /** The language the snippet is written in, for its label. */
  language: 'yaml' | 'shell';
  text: string;
  /** The audience it asks for. */
  audience: string;
}

/** A word for a POSIX shell, in single quotes unless it is plain. */
export function shellWord(value: string): string {
  if (/^[\w@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A YAML scalar that is read as the very text (a JSON string is a YAML double-quoted scalar). */
const yamlString = (value: string) => JSON.stringify(value);

/** The curl that trades `$assertion` for an access token, one `--data-urlencode` per field. */
function tokenRequest(app: SnippetApp, assertion: string, indent: string): string[] {
  const fields = [
    'grant_type=client_credentials',
    shellWord(`client_id=${app.clientId}`),
    `"client_assertion=${assertion}"`,
    shellWord(`client_assertion_type=${JWT_BEARER_ASSERTION_TYPE}`),
    ...(app.scopes.length > 0 ? [shellWord(`scope=${app.scopes.join(' ')}`)] : []),
  ];
  return [
    `${indent}ACCESS_TOKEN=$(curl -sSf -X POST ${shellWord(app.tokenUrl)} \\`,
    ...fields.map(
      (field, i) =>
        `${indent}  --data-urlencode ${field}${i === fields.length - 1 ? ' | jq -r .access_token)' : ' \\'}`,
    ),
  ];
}

/** A GitHub Actions job: `id-token: write`, the workflow's ID token for the audience, then the token request. */
export function githubActionsJob(app: SnippetApp, audience: string): string {
  const run = '          ';
  return [
    'jobs:',
    '  uipath:',
    '    runs-on: ubuntu-latest',
    '    permissions:',
    '      id-token: write',
    '      contents: read',
    '    steps:',
    '      - name: Sign in to UiPath with the workflow’s ID token',
    '        run: |',
    `${run}ID_TOKEN=$(curl -sSf -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \\`,
    `${run}  "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=${encodeURIComponent(audience)}" | jq -r .value)`,
    ...tokenRequest(app, '$ID_TOKEN', run),
    `${run}echo "::add-mask::$ACCESS_TOKEN"`,
    `${run}echo "UIPATH_ACCESS_TOKEN=$ACCESS_TOKEN" >> "$GITHUB_ENV"`,
  ].join('\n');
}

/** A GitLab CI job: `id_tokens:` with the audience, then the token request. */
export function gitlabCiJob(app: SnippetApp, audience: string): string {
  return [
    'uipath:',
    '  id_tokens:',
    '    UIPATH_ID_TOKEN:',
    `      aud: ${yamlString(audience)}`,
    '  script:',
    '    - |',
    ...tokenRequest(app, '$UIPATH_ID_TOKEN', '      '),
    '      export UIPATH_ACCESS_TOKEN="$ACCESS_TOKEN"',
  ].join('\n');
}

/** The uip CLI's sign-in with the pipeline's ID token in place of a secret. */
export function uipLoginLine(app: SnippetApp): string {
  return `uip login --client-id ${shellWord(app.clientId)} --client-assertion "$ID_TOKEN"`;
}

/** The credential a snippet's provider would use: the one of its issuer, else the first. */
function credentialFor(
  credentials: readonly SnippetCredential[],
  preset: 'github' | 'gitlab',
): SnippetCredential | undefined {
  const own =
    preset === 'github'
      ? credentials.find((c) => c.issuer === GITHUB_ISSUER)
      : credentials.find((c) => presetOfIssuer(c.issuer) === 'gitlab');
  return own ?? credentials[0];
}

/** The handoff's snippets for an application with these federated credentials; none when it has no credential. */
export function pipelineSnippets(app: SnippetApp, credentials: readonly SnippetCredential[]): PipelineSnippet[] {
  const github = credentialFor(credentials, 'github');
  const gitlab = credentialFor(credentials, 'gitlab');
  if (!github || !gitlab) return [];
  return [
    {
      ...{ id: 'github', title: 'GitHub Actions job', language: 'yaml' },
      ...{ text: githubActionsJob(app, github.audience), audience: github.audience },
    },
    {
      ...{ id: 'gitlab', title: 'GitLab CI job', language: 'yaml' },
      ...{ text: gitlabCiJob(app, gitlab.audience), audience: gitlab.audience },
    },
    {
      ...{ id: 'uip', title: 'uip CLI', language: 'shell' },
      ...{ text: uipLoginLine(app), audience: github.audience },
    },
  ];
}
