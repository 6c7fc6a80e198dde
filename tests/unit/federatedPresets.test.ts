// The presets of a federated credential: each provider's issuer and audience, and the subject builders.
import { describe, expect, it } from 'vitest';
import {
  audienceIssues,
  ENTRA_AUDIENCE,
  githubSubject,
  gitlabSubject,
  kubernetesSubject,
  presetById,
  presetOfIssuer,
} from '../../src/shared/federatedPresets';

const IDENTITY = 'https://cloud.uipath.com/acme/identity_';

describe('GitHub Actions subjects', () => {
  const repo = { org: 'acme', repo: 'robots' };
  it('builds the branch, environment, tag and pull request forms', () => {
    expect(githubSubject({ ...repo, kind: 'branch', ref: 'main' })).toBe('repo:acme/robots:ref:refs/heads/main');
    expect(githubSubject({ ...repo, ref: 'main' })).toBe('repo:acme/robots:ref:refs/heads/main');
    expect(githubSubject({ ...repo, kind: 'environment', ref: 'prod' })).toBe('repo:acme/robots:environment:prod');
    expect(githubSubject({ ...repo, kind: 'tag', ref: 'v1.2' })).toBe('repo:acme/robots:ref:refs/tags/v1.2');
    expect(githubSubject({ ...repo, kind: 'pull_request' })).toBe('repo:acme/robots:pull_request');
  });
  it('builds the immutable-ID form of repositories created after 2026-07-15', () => {
    const parts = { ...repo, format: 'immutable', ownerId: '42', repoId: '777', kind: 'branch', ref: 'main' };
    expect(githubSubject(parts)).toBe('repo:acme@42/robots@777:ref:refs/heads/main');
    expect(githubSubject({ ...parts, repoId: '' })).toBe('');
  });
  it('waits for the parts it needs, and trims them', () => {
    expect(githubSubject({ org: 'acme', ref: 'main' })).toBe('');
    expect(githubSubject({ ...repo, kind: 'environment' })).toBe('');
    expect(githubSubject({ org: ' acme ', repo: 'robots ', ref: ' main' })).toBe(
      'repo:acme/robots:ref:refs/heads/main',
    );
  });
});

describe('the other presets', () => {
  it('GitLab CI: project path and ref, gitlab.com or a self-managed issuer without its trailing slash', () => {
    expect(gitlabSubject({ project: 'group/project', ref: 'main' })).toBe(
      'project_path:group/project:ref_type:branch:ref:main',
    );
    expect(gitlabSubject({ project: 'g/p', refType: 'tag', ref: 'v1' })).toBe('project_path:g/p:ref_type:tag:ref:v1');
    const gitlab = presetById('gitlab');
    expect(gitlab.issuer({})).toBe('https://gitlab.com');
    expect(gitlab.issuer({ instance: 'https://gitlab.acme.test/' })).toBe('https://gitlab.acme.test');
  });
  it('Entra: the tenant in the issuer, the object ID as subject, its default audience', () => {
    const entra = presetById('entra');
    expect(entra.issuer({ tenantId: 't-1' })).toBe('https://login.microsoftonline.com/t-1/v2.0');
    expect(entra.subject({ objectId: 'o-1' })).toBe('o-1');
    expect(entra.audience(IDENTITY)).toBe(ENTRA_AUDIENCE);
  });
  it('Google Cloud and Kubernetes', () => {
    expect(presetById('google').issuer({})).toBe('https://accounts.google.com');
    expect(presetById('google').audience(IDENTITY)).toBe(IDENTITY);
    expect(kubernetesSubject({ namespace: 'ci', serviceAccount: 'deployer' })).toBe(
      'system:serviceaccount:ci:deployer',
    );
    expect(presetById('kubernetes').issuer({ clusterIssuer: 'https://oidc.k8s.test' })).toBe('https://oidc.k8s.test');
  });
  it('knows a stored credential’s preset by its issuer', () => {
    expect(presetOfIssuer('https://token.actions.githubusercontent.com')).toBe('github');
    expect(presetOfIssuer('https://login.microsoftonline.com/t/v2.0')).toBe('entra');
    expect(presetOfIssuer('https://gitlab.com')).toBe('gitlab');
    expect(presetOfIssuer('https://accounts.google.com')).toBe('google');
    expect(presetOfIssuer('https://issuer.test')).toBe('oidc');
  });
});

describe('the audience the pipeline will ask for', () => {
  it('warns when the typed audience differs, and only then', () => {
    expect(audienceIssues(IDENTITY, IDENTITY)).toEqual([]);
    expect(audienceIssues('', IDENTITY)).toEqual([]);
    expect(audienceIssues('https://github.com/acme', IDENTITY)).toEqual([
      expect.objectContaining({ field: 'audience', severity: 'warning' }),
    ]);
  });
});
