// `oauth-desk apps federated list|create|update|delete|check`: an application's federated credentials (secretless: a
// pipeline's own identity provider's JWT instead of a secret), and why a token would be refused.
import type { Command } from 'commander';
import type { FederatedCredential, FederatedTokenCheck } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { CommandContext } from '../context';

interface FieldOptions {
  org?: string;
  name?: string;
  description?: string;
  issuer?: string;
  audience?: string;
  subject?: string;
  json?: boolean;
}

/** The credentials as lines a person reads; every value may be the organisation's, and is printed inert by io.out. */
export function federatedCredentialsText(clientId: string, credentials: readonly FederatedCredential[]): string {
  if (credentials.length === 0)
    return `${clientId} has no federated credentials. Add one with: oauth-desk apps federated create ${clientId} --name … --issuer … --audience … --subject …`;
  return credentials
    .map((c) =>
      [
        `${c.name} (${c.id})`,
        ...(c.description ? [`  description: ${c.description}`] : []),
        `  issuer:      ${c.issuer}`,
        `  audience:    ${c.audience}`,
        `  subject:     ${c.subject}`,
      ].join('\n'),
    )
    .join('\n\n');
}

/** The check as text: what the token carries, then each credential's differences (expected vs actual) or its match. */
export function federatedCheckText(check: FederatedTokenCheck): string {
  const { token } = check;
  if (!token.readable) return `Not a JWT: ${token.problem ?? 'it cannot be decoded'}`;
  const lines = [
    `Token: alg ${token.alg ?? '(none)'}, ${token.sizeBytes} bytes, expires ${token.exp ?? '(never)'}`,
    `  iss: ${token.iss ?? '(none)'}`,
    `  aud: ${token.aud.length > 0 ? token.aud.join(', ') : '(none)'}`,
    `  sub: ${token.sub ?? '(none)'}`,
  ];
  if (check.credentials.length === 0) lines.push('', 'The application has no federated credentials.');
  for (const verdict of check.credentials) {
    lines.push('', `${verdict.matches ? 'MATCH' : 'differs'}: ${verdict.name} (${verdict.id})`);
    for (const d of verdict.differences)
      lines.push(`  ${d.claim}: ${d.message}`, `    expected: ${d.expected}`, `    actual:   ${d.actual || '(none)'}`);
  }
  const match = check.credentials.find((v) => v.id === check.matchedCredentialId);
  lines.push(
    '',
    match
      ? `The token matches ${match.name}: the organisation accepts it if its signature verifies with the issuer's keys.`
      : 'The token matches no federated credential of this application.',
  );
  return lines.join('\n');
}

function required(value: string | undefined, option: string, field: string): string {
  if (value === undefined)
    throw AppError.invalid([{ field, message: `${option} is required (e.g. ${option} <${field}>).` }]);
  return value;
}

function fieldsOf(opts: FieldOptions) {
  return {
    name: required(opts.name, '--name', 'name'),
    description: opts.description ?? null,
    issuer: required(opts.issuer, '--issuer', 'issuer'),
    audience: required(opts.audience, '--audience', 'audience'),
    subject: required(opts.subject, '--subject', 'subject'),
  };
}

function withFieldOptions(command: Command, context: CommandContext): Command {
  return command
    .addOption(context.organisationOption())
    .option('--name <name>', 'the credential’s name, e.g. "GitHub main"')
    .option('--description <text>', 'what it is for')
    .option('--issuer <url>', 'the identity provider, matched exactly against iss (https)')
    .option('--audience <value>', 'the one audience the token’s aud must contain')
    .option('--subject <value>', 'matched exactly against sub, e.g. repo:ORG/REPO:ref:refs/heads/main')
    .option('--json', 'print JSON');
}

function addListAndDelete(federated: Command, { io, call, json, organisationOption }: CommandContext): void {
  federated
    .command('list <clientId>')
    .description('the federated credentials of an application')
    .addOption(organisationOption())
    .option('--json', 'print JSON')
    .action(async (clientId: string, opts: { org?: string; json?: boolean }) => {
      const credentials = await call('listFederatedCredentials', { organisation: opts.org, clientId });
      if (opts.json) json(credentials);
      else io.out(federatedCredentialsText(clientId, credentials));
    });
  federated
    .command('delete <clientId> <credentialId>')
    .description('delete one: new tokens for it are refused (tokens already issued live out their hour)')
    .addOption(organisationOption())
    .action(async (clientId: string, id: string, opts: { org?: string }) => {
      await call('deleteFederatedCredential', { organisation: opts.org, clientId, id });
      io.out(`Deleted federated credential ${id} of ${clientId}`);
    });
}

function addCreateAndUpdate(federated: Command, context: CommandContext): void {
  const { io, call, json } = context;
  withFieldOptions(
    federated.command('create <clientId>').description('add a federated credential (no secret is made)'),
    context,
  ).action(async (clientId: string, opts: FieldOptions) => {
    const created = await call('createFederatedCredential', { organisation: opts.org, clientId, ...fieldsOf(opts) });
    if (opts.json) json(created);
    else
      io.out(
        `Added federated credential ${created.id} to ${clientId}\n${federatedCredentialsText(clientId, [created])}`,
      );
  });
  withFieldOptions(
    federated
      .command('update <clientId> <credentialId>')
      .description('replace a federated credential’s fields (all of them)'),
    context,
  ).action(async (clientId: string, id: string, opts: FieldOptions) => {
    const updated = await call('updateFederatedCredential', {
      organisation: opts.org,
      clientId,
      id,
      ...fieldsOf(opts),
    });
    if (opts.json) json(updated);
    else io.out(`Updated federated credential ${id} of ${clientId}\n${federatedCredentialsText(clientId, [updated])}`);
  });
}

function addCheck(federated: Command, { io, call, json, organisationOption }: CommandContext): void {
  federated
    .command('check <clientId>')
    .description('why would a token be refused? decodes a JWT (read from standard input) here, never sent anywhere')
    .addOption(organisationOption())
    .option('--jwt-stdin', 'read the JWT from standard input (it never stands on the command line)')
    .option('--json', 'print JSON')
    .action(async (clientId: string, opts: { org?: string; jwtStdin?: boolean; json?: boolean }) => {
      if (!opts.jwtStdin)
        throw AppError.invalid([
          {
            field: 'jwt',
            message:
              'Give the JWT on standard input with --jwt-stdin, e.g. echo "$TOKEN" | oauth-desk apps federated check <clientId> --jwt-stdin.',
          },
        ]);
      const jwt = (await io.readStdin()).trim();
      const check = await call('checkFederatedToken', { organisation: opts.org, clientId, jwt });
      if (opts.json) json(check);
      else io.out(federatedCheckText(check));
      if (check.matchedCredentialId === null)
        throw new AppError('not_found', `The token matches no federated credential of ${clientId}.`);
    });
}

/** Adds `apps federated …` to the apps group. */
export function registerFederatedCommands(apps: Command, context: CommandContext): void {
  const federated = apps
    .command('federated')
    .description('federated credentials: tokens from a pipeline’s identity provider instead of a secret');
  addListAndDelete(federated, context);
  addCreateAndUpdate(federated, context);
  addCheck(federated, context);
}
