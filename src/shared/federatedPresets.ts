// The presets of a federated credential: each identity provider's issuer, the audience its workloads will ask for, and a
// builder of its subject from the parts an admin knows (organisation, repository, branch, …). Pure and zod-free: the
// window's form fills the credential's fields with these as the admin types.
import type { FederatedIssue } from './federated';

export type FederatedPresetId = 'github' | 'gitlab' | 'entra' | 'google' | 'kubernetes' | 'oidc';

/** A part of the issuer or the subject the admin types or picks. */
export interface PresetPart {
  key: string;
  label: string;
  placeholder: string;
  /** A choice among these instead of free text. */
  options?: readonly { label: string; value: string }[];
  /** Shown only when this other part has this value. */
  when?: { key: string; value: string };
}

export type PresetValues = Readonly<Record<string, string | undefined>>;

export interface FederatedPreset {
  id: FederatedPresetId;
  label: string;
  /** What the subject is, in a sentence. */
  subjectHint: string;
  /** The parts the issuer is built from (none: a fixed issuer). */
  issuerParts: readonly PresetPart[];
  subjectParts: readonly PresetPart[];
  issuer(values: PresetValues): string;
  /** The subject, or '' until the parts it needs are typed. */
  subject(values: PresetValues): string;
  /** The audience the workload will ask for, given the organisation's identity URL. */
  audience(identityUrl: string): string;
  /** Where the audience comes from, in a sentence. */
  audienceHint: string;
}

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const GITLAB_ISSUER = 'https://gitlab.com';
export const GOOGLE_ISSUER = 'https://accounts.google.com';
/** The audience Microsoft Entra workload identities ask for by default. */
export const ENTRA_AUDIENCE = 'api://AzureADTokenExchange';

const v = (values: PresetValues, key: string): string => (values[key] ?? '').trim();
const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');
const identityAudience = (identityUrl: string) => identityUrl;
const identityAudienceHint = 'The pipeline asks for a token with this audience: the organisation’s identity URL.';

const GITHUB_REF_KINDS = [
  { label: 'Branch', value: 'branch' },
  { label: 'Environment', value: 'environment' },
  { label: 'Tag', value: 'tag' },
  { label: 'Pull request', value: 'pull_request' },
] as const;

/** `repo:ORG/REPO` or, for repositories created after 2026-07-15, `repo:OWNER@ID/REPO@ID`. */
function githubRepository(values: PresetValues): string {
  const [org, repo] = [v(values, 'org'), v(values, 'repo')];
  if (!org || !repo) return '';
  if (v(values, 'format') !== 'immutable') return `repo:${org}/${repo}`;
  const [ownerId, repoId] = [v(values, 'ownerId'), v(values, 'repoId')];
  return ownerId && repoId ? `repo:${org}@${ownerId}/${repo}@${repoId}` : '';
}

/** A GitHub Actions subject: the repository, then branch, environment, tag or pull request. */
export function githubSubject(values: PresetValues): string {
  const repository = githubRepository(values);
  const kind = v(values, 'kind') || 'branch';
  if (!repository) return '';
  if (kind === 'pull_request') return `${repository}:pull_request`;
  const ref = v(values, 'ref');
  if (!ref) return '';
  if (kind === 'environment') return `${repository}:environment:${ref}`;
  return `${repository}:ref:refs/${kind === 'tag' ? 'tags' : 'heads'}/${ref}`;
}

/** A GitLab CI subject: `project_path:GROUP/PROJECT:ref_type:branch:ref:main`. */
export function gitlabSubject(values: PresetValues): string {
  const [project, ref] = [v(values, 'project'), v(values, 'ref')];
  if (!project || !ref) return '';
  return `project_path:${project}:ref_type:${v(values, 'refType') || 'branch'}:ref:${ref}`;
}

/** A Kubernetes service account's subject: `system:serviceaccount:NAMESPACE:NAME`. */
export function kubernetesSubject(values: PresetValues): string {
  const [namespace, name] = [v(values, 'namespace'), v(values, 'serviceAccount')];
  return namespace && name ? `system:serviceaccount:${namespace}:${name}` : '';
}

export const FEDERATED_PRESETS: readonly FederatedPreset[] = [
  {
    id: 'github',
    label: 'GitHub Actions',
    subjectHint:
      'The repository, then the branch, environment, tag or pull request the workflow runs for. Repositories ' +
      'created after 2026-07-15 use immutable IDs: repo:OWNER@ID/REPO@ID.',
    issuerParts: [],
    subjectParts: [
      {
        key: 'format',
        label: 'Subject format',
        placeholder: '',
        options: [
          { label: 'Names', value: 'names' },
          { label: 'Immutable IDs', value: 'immutable' },
        ],
      },
      { key: 'org', label: 'Organization', placeholder: 'acme' },
      { key: 'ownerId', label: 'Owner ID', placeholder: '1234567', when: { key: 'format', value: 'immutable' } },
      { key: 'repo', label: 'Repository', placeholder: 'robots' },
      { key: 'repoId', label: 'Repository ID', placeholder: '89012345', when: { key: 'format', value: 'immutable' } },
      { key: 'kind', label: 'Runs for', placeholder: '', options: GITHUB_REF_KINDS },
      { key: 'ref', label: 'Branch, environment or tag', placeholder: 'main' },
    ],
    issuer: () => GITHUB_ISSUER,
    subject: githubSubject,
    audience: identityAudience,
    audienceHint: identityAudienceHint,
  },
  {
    id: 'gitlab',
    label: 'GitLab CI',
    subjectHint: 'The project’s path, then the branch or tag the pipeline runs for.',
    issuerParts: [{ key: 'instance', label: 'GitLab URL', placeholder: GITLAB_ISSUER }],
    subjectParts: [
      { key: 'project', label: 'Project path', placeholder: 'acme/robots' },
      {
        key: 'refType',
        label: 'Ref type',
        placeholder: '',
        options: [
          { label: 'Branch', value: 'branch' },
          { label: 'Tag', value: 'tag' },
        ],
      },
      { key: 'ref', label: 'Branch or tag', placeholder: 'main' },
    ],
    issuer: (values) => withoutTrailingSlash(v(values, 'instance')) || GITLAB_ISSUER,
    subject: gitlabSubject,
    audience: identityAudience,
    audienceHint: identityAudienceHint,
  },
  {
    id: 'entra',
    label: 'Microsoft Entra workload identity',
    subjectHint: 'The object ID of the managed identity or service principal.',
    issuerParts: [{ key: 'tenantId', label: 'Entra tenant ID', placeholder: '00000000-0000-0000-0000-000000000000' }],
    subjectParts: [{ key: 'objectId', label: 'Object ID', placeholder: '00000000-0000-0000-0000-000000000000' }],
    issuer: (values) => `https://login.microsoftonline.com/${v(values, 'tenantId') || '{tenantId}'}/v2.0`,
    subject: (values) => v(values, 'objectId'),
    audience: () => ENTRA_AUDIENCE,
    audienceHint: `Entra workload identities ask for ${ENTRA_AUDIENCE} unless told otherwise.`,
  },
  {
    id: 'google',
    label: 'Google Cloud',
    subjectHint: 'The service account’s unique ID (digits), not its email address.',
    issuerParts: [],
    subjectParts: [{ key: 'uniqueId', label: 'Service account unique ID', placeholder: '112233445566778899000' }],
    issuer: () => GOOGLE_ISSUER,
    subject: (values) => v(values, 'uniqueId'),
    audience: identityAudience,
    audienceHint: identityAudienceHint,
  },
  {
    id: 'kubernetes',
    label: 'Kubernetes service account',
    subjectHint: 'The service account the pod runs as.',
    issuerParts: [
      { key: 'clusterIssuer', label: 'Cluster issuer URL', placeholder: 'https://oidc.example.com/cluster' },
    ],
    subjectParts: [
      { key: 'namespace', label: 'Namespace', placeholder: 'robots' },
      { key: 'serviceAccount', label: 'Service account', placeholder: 'deployer' },
    ],
    issuer: (values) => v(values, 'clusterIssuer'),
    subject: kubernetesSubject,
    audience: identityAudience,
    audienceHint: 'The projected service account token’s audience: the organisation’s identity URL.',
  },
  {
    id: 'oidc',
    label: 'Any OIDC issuer',
    subjectHint: 'The token’s sub claim, exactly.',
    issuerParts: [],
    subjectParts: [],
    issuer: () => '',
    subject: () => '',
    audience: identityAudience,
    audienceHint: identityAudienceHint,
  },
];

export function presetById(id: FederatedPresetId): FederatedPreset {
  const found = FEDERATED_PRESETS.find((p) => p.id === id);
  if (!found) throw new Error(`No preset ${id}.`);
  return found;
}

/** The preset a stored credential most likely came from, by its issuer. */
export function presetOfIssuer(issuer: string): FederatedPresetId {
  if (issuer === GITHUB_ISSUER) return 'github';
  if (issuer === GOOGLE_ISSUER) return 'google';
  if (/^https:\/\/login\.microsoftonline\.com\/[^/]+\/v2\.0$/.test(issuer)) return 'entra';
  if (issuer.startsWith('https://gitlab.')) return 'gitlab';
  return 'oidc';
}

/** A warning when the typed audience differs from the one the preset's workload will ask for. */
export function audienceIssues(audience: string, expected: string): FederatedIssue[] {
  if (audience.trim() === '' || expected === '' || audience === expected) return [];
  return [
    {
      field: 'audience',
      message: `The pipeline will ask for the audience ${expected}; a token for ${audience} only works if it asks for this one instead.`,
      severity: 'warning',
    },
  ];
}
