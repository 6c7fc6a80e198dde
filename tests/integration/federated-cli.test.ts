// `oauth-desk apps federated …` as a script runs it: real processes on one data folder, the real keychain, the embedded
// Identity Server of the local organisation and a second embedded server playing a remote organisation, and a CI-style
// OIDC issuer on loopback whose pipeline JWTs get tokens without a secret. Copy, export and import carry the
// credentials; a scope set's apply leaves them as they are.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import type { FederatedCredential, FederatedTokenCheck } from '../../src/shared/contract';
import { JWT_BEARER_ASSERTION_TYPE } from '../../src/shared/federated';
import { ActivityEntry, ExportDocument, ExternalClient, ImportResult } from '../../src/shared/model';
import { cliOf, freePort, useDeskHome, type CliRun } from './support';
import { startTestIssuer, type TestIssuer } from './testIssuer';

const desk = useDeskHome();
const files = desk.tempDir();
const cli = cliOf(desk, await freePort());

const AUDIENCE = 'https://github.com/acme';
const SUBJECT = 'repo:acme/robots:ref:refs/heads/main';

let issuer: TestIssuer;
let acme: RunningIdentityServer;

/** A command's JSON output, typed as the caller says; the command must have succeeded. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names what the command prints
function output<T>(run: CliRun): T {
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as T;
}

/** The token endpoint of an organisation as `orgs show` names it, asked the way a pipeline asks. */
async function pipelineToken(org: string, clientId: string, assertion: string) {
  const shown = output<{ baseUrl: string; orgName: string }>(await cli(['orgs', 'show', org, '--json']));
  const response = await fetch(`${shown.baseUrl}/${shown.orgName}/identity_/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_assertion: assertion,
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const credentialArgs = (name: string, subject = SUBJECT) => [
  ...['--name', name, '--issuer', issuer.issuer, '--audience', AUDIENCE, '--subject', subject],
];

async function createApp(org: string, name: string): Promise<ExternalClient> {
  const run = await cli(['apps', 'create', name, '--org', org, '--app-scope', 'OR.Jobs', '--json']);
  return output<{ app: ExternalClient }>(run).app;
}

const listOf = async (org: string, clientId: string) =>
  output<FederatedCredential[]>(await cli(['apps', 'federated', 'list', clientId, '--org', org, '--json']));

describe('oauth-desk apps federated', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    issuer = await startTestIssuer();
    acme = await startIdentityServer({ dataDir: desk.tempDir(), port: 0, orgName: 'acme' });
    const admin = await acme.ensureAdminClient();
    const added = await cli(
      ['orgs', 'add', 'acme', '--base-url', acme.baseUrl, '--org-name', 'acme', '--client-id', admin.clientId].concat([
        '--client-secret-stdin',
      ]),
      {},
      `${admin.secret?.value ?? ''}\n`,
    );
    expect(added.code, added.stderr).toBe(0);
  }, 90_000);
  afterAll(async () => {
    await acme.close();
    await issuer.close();
  });

  for (const org of ['local', 'acme']) {
    it(`${org}: a pipeline's JWT gets a token without a secret, check explains a refusal, delete ends it`, async () => {
      const app = await createApp(org, `Pipeline ${org}`);
      const created = output<FederatedCredential>(
        await cli(['apps', 'federated', 'create', app.id, '--org', org, ...credentialArgs('CI main'), '--json']),
      );
      expect(created).toMatchObject({ clientId: app.id, issuer: issuer.issuer, audience: AUDIENCE, subject: SUBJECT });
      expect(await listOf(org, app.id)).toEqual([created]);
      const text = await cli(['apps', 'federated', 'list', app.id, '--org', org]);
      expect(text.stdout).toContain(`CI main (${created.id})`);

      // Bad input names the field and changes nothing.
      const wildcard = await cli([
        'apps',
        'federated',
        'create',
        app.id,
        '--org',
        org,
        ...credentialArgs('Any', 'repo:acme/*'),
      ]);
      expect(wildcard.code).toBe(2);
      expect(wildcard.stderr).toMatch(/subject: Subject must not contain a wildcard/);
      expect(await listOf(org, app.id)).toHaveLength(1);

      const good = await issuer.token({ sub: SUBJECT, aud: AUDIENCE });
      const token = await pipelineToken(org, app.id, good);
      expect(token.status, JSON.stringify(token.body)).toBe(200);
      expect(token.body.scope).toBe('OR.Jobs');

      const wrongSub = await issuer.token({ sub: 'repo:acme/robots:ref:refs/heads/dev', aud: AUDIENCE });
      const explained = await cli(['apps', 'federated', 'check', app.id, '--org', org, '--jwt-stdin'], {}, wrongSub);
      expect(explained.code).toBe(1);
      expect(explained.stdout).toMatch(/differs: CI main/);
      expect(explained.stdout).toMatch(/sub: sub differs from the credential's subject at character 33/);
      expect(explained.stdout).toContain(`expected: ${SUBJECT}`);
      expect(explained.stdout).toContain('actual:   repo:acme/robots:ref:refs/heads/dev');
      const asJson = await cli(
        ['apps', 'federated', 'check', app.id, '--org', org, '--jwt-stdin', '--json'],
        {},
        wrongSub,
      );
      const check = JSON.parse(asJson.stdout) as FederatedTokenCheck;
      expect(check.matchedCredentialId).toBeNull();
      expect(check.credentials[0]?.differences.map((d) => [d.claim, d.expected, d.actual])).toEqual([
        ['sub', SUBJECT, 'repo:acme/robots:ref:refs/heads/dev'],
      ]);
      const matched = await cli(['apps', 'federated', 'check', app.id, '--org', org, '--jwt-stdin'], {}, good);
      expect(matched.code, matched.stderr).toBe(0);
      expect(matched.stdout).toMatch(/MATCH: CI main/);
      expect((await cli(['apps', 'federated', 'check', app.id, '--org', org])).stderr).toMatch(/jwt: .*--jwt-stdin/);

      const renamed = output<FederatedCredential>(
        await cli([
          'apps',
          'federated',
          'update',
          app.id,
          created.id,
          '--org',
          org,
          ...credentialArgs('CI main branch'),
          '--json',
        ]),
      );
      expect(renamed).toMatchObject({ id: created.id, name: 'CI main branch' });

      const deleted = await cli(['apps', 'federated', 'delete', app.id, created.id, '--org', org]);
      expect(deleted.code, deleted.stderr).toBe(0);
      const refused = await pipelineToken(org, app.id, await issuer.token({ sub: SUBJECT, aud: AUDIENCE }));
      expect(refused.status).toBe(401);
      expect(refused.body.error).toBe('invalid_client');

      const activity = output<ActivityEntry[]>(await cli(['activity', '--json', '--limit', '20']));
      const mine = activity.filter((e) => e.target === app.id && e.kind === 'federated').map((e) => e.headline);
      expect(mine).toEqual([
        'Deleted federated credential “CI main branch”',
        'Changed federated credential “CI main branch”',
        'Added federated credential “CI main”',
      ]);
    });
  }

  it('a copy to the remote organisation carries the credential, and its token works there', async () => {
    const app = await createApp('local', 'Secretless copy');
    await cli(['apps', 'federated', 'create', app.id, ...credentialArgs('CI main')]);
    const copied = output<{ app: ExternalClient; federatedCredentials: FederatedCredential[] }>(
      await cli(['apps', 'copy', app.id, '--to', 'acme', '--json']),
    );
    expect(copied.federatedCredentials.map((c) => [c.name, c.issuer, c.audience, c.subject])).toEqual([
      ['CI main', issuer.issuer, AUDIENCE, SUBJECT],
    ]);
    expect(await listOf('acme', copied.app.id)).toEqual(copied.federatedCredentials);
    const token = await pipelineToken('acme', copied.app.id, await issuer.token({ sub: SUBJECT, aud: AUDIENCE }));
    expect(token.status, JSON.stringify(token.body)).toBe(200);
  });

  it('export writes the credentials, import adds them back; a scope set apply leaves them untouched', async () => {
    const app = await createApp('local', 'Exported pipeline');
    await cli([
      'apps',
      'federated',
      'create',
      app.id,
      ...credentialArgs('CI main', 'repo:acme/exported:environment:prod'),
    ]);
    const file = join(files, 'registrations.json');
    expect((await cli(['export', '--output', file])).code).toBe(0);
    const document = ExportDocument.parse(JSON.parse(readFileSync(file, 'utf8')));
    const entry = document.registrations.find((r) => r.client_name === 'Exported pipeline');
    expect(entry?.federated_credentials).toEqual([
      {
        name: 'CI main',
        description: null,
        issuer: issuer.issuer,
        audience: AUDIENCE,
        subject: 'repo:acme/exported:environment:prod',
      },
    ]);

    // Only this registration goes to the remote organisation.
    const single = { ...document, registrations: [entry], scope_sets: [] };
    writeFileSync(file, JSON.stringify(single));
    const dryRun = output<z.infer<typeof ImportResult>>(
      await cli(['import', file, '--org', 'acme', '--dry-run', '--json']),
    );
    expect(dryRun.registrations[0]).toMatchObject({ action: 'create', applied: false });
    expect(dryRun.registrations[0]?.changes).toContain(
      `adds federated credential “CI main” (${issuer.issuer}, repo:acme/exported:environment:prod)`,
    );
    // The plan says it too, in the window's words: the JSON's entry, and the dry run as the CLI prints it.
    expect(dryRun.plan.entries[0]?.federated).toEqual([
      { change: 'add', name: 'CI main', issuer: issuer.issuer, subject: 'repo:acme/exported:environment:prod' },
    ]);
    const printed = await cli(['import', file, '--org', 'acme', '--dry-run']);
    expect(printed.code, printed.stderr).toBe(0);
    const line = printed.stdout.split('\n').find((l) => l.startsWith('create    Exported pipeline'));
    expect(line).toContain(
      `adds federated credential “CI main” (${issuer.issuer}, repo:acme/exported:environment:prod)`,
    );
    const imported = output<z.infer<typeof ImportResult>>(await cli(['import', file, '--org', 'acme', '--json']));
    const clientId = imported.registrations[0]?.clientId ?? '';
    expect(imported.registrations[0]).toMatchObject({ action: 'create', applied: true, messages: [] });
    const there = await listOf('acme', clientId);
    expect(there.map((c) => c.subject)).toEqual(['repo:acme/exported:environment:prod']);
    const again = output<z.infer<typeof ImportResult>>(await cli(['import', file, '--org', 'acme', '--json']));
    expect(again.registrations[0]).toMatchObject({ action: 'unchanged' });

    // A scope set applied to the application changes its scopes, not its federated credentials.
    const before = await listOf('local', app.id);
    expect((await cli(['scope-sets', 'create', 'Readers', '--app-scope', 'OR.Jobs.Read'])).code).toBe(0);
    const applied = await cli(['scope-sets', 'apply', 'Readers', '--app', app.id, '--mode', 'add']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(await listOf('local', app.id)).toEqual(before);
  });
});
