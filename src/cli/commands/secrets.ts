// `oauth-desk apps secrets|generate-secret|delete-secret|handoff`: an application's secrets and its handoff document.
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { AppError } from '../../shared/errors';
import type { CommandContext } from '../context';
import { addApplicationRead } from './apps';
import { secretNotice, secretsTable } from '../format';
import { expiryOf } from '../options';

function addSecrets(apps: Command, context: CommandContext): void {
  addApplicationRead(
    apps
      .command('secrets <clientId>')
      .description('the secrets of an application: created, expires, last used, and where each is in the keychain'),
    context,
    'listSecrets',
    secretsTable,
  );
}

interface GenerateOptions {
  org?: string;
  description?: string;
  expiration?: string;
  replace?: boolean;
  showSecret?: boolean;
  json?: boolean;
}

function addGenerateSecret(apps: Command, { io, call, json, organisationOption }: CommandContext): void {
  apps
    .command('generate-secret <clientId>')
    .description('generate a new secret into the keychain; the others keep working unless --replace')
    .addOption(organisationOption())
    .option('--description <text>', 'what the secret is for')
    .option('--expiration <date>', 'when it stops working (ISO date or date-time, e.g. 2027-01-31)')
    .option('--replace', 'delete the other secrets once the new one is safely in the keychain')
    .option('--show-secret', 'also print the secret (it is always saved to the keychain)')
    .option('--json', 'print JSON')
    .action(async (clientId: string, opts: GenerateOptions) => {
      const generated = await call('generateSecret', {
        organisation: opts.org,
        clientId,
        description: opts.description ?? null,
        expiryTime: opts.expiration === undefined ? null : expiryOf(opts.expiration),
        mode: opts.replace ? 'replace' : 'overlap',
      });
      const notice = secretNotice(generated.secret, Boolean(opts.showSecret));
      notice.stderr.forEach((line) => io.err(line));
      if (opts.json) {
        const reveal = opts.showSecret === true || !generated.secret.stored;
        json({ ...generated, secret: { ...generated.secret, value: reveal ? generated.secret.value : undefined } });
        return;
      }
      io.out(`New secret ${generated.secret.id} for ${clientId}`);
      notice.stdout.forEach((line) => io.out(line));
      if (generated.replaced.length > 0) io.out(`Deleted the replaced secrets: ${generated.replaced.join(', ')}`);
      else if (opts.replace && !generated.secret.stored)
        io.err('The other secrets were kept: they are deleted only once the new one is in the keychain.');
    });
}

function addDeleteSecret(apps: Command, { io, call, organisationOption }: CommandContext): void {
  apps
    .command('delete-secret <clientId> <secretId>')
    .description('delete one secret: integrations using it stop working')
    .addOption(organisationOption())
    .action(async (clientId: string, secretId: string, opts: { org: string }) => {
      await call('deleteSecret', { organisation: opts.org, clientId, secretId });
      io.out(`Deleted secret ${secretId} of ${clientId}`);
    });
}

function addHandoff(apps: Command, { io, call, organisationOption }: CommandContext): void {
  apps
    .command('handoff <clientId>')
    .description('the details a developer needs to build the integration (the secret only into a file, when asked)')
    .addOption(organisationOption())
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'json', 'env', 'age']).default('md'))
    .option('--output <file>', 'write the document to this file instead of printing it')
    .option('--include-secret', 'with --format env and --output: write the secret from the keychain into the file')
    .option(
      '--recipient <age1…>',
      "with --format age: the developer's age public key; the .env with the secret, encrypted to it",
    )
    .action(
      async (
        clientId: string,
        opts: {
          org?: string;
          format: 'md' | 'json' | 'env' | 'age';
          output?: string;
          includeSecret?: boolean;
          recipient?: string;
        },
      ) => {
        if (opts.includeSecret && !opts.output)
          throw AppError.invalid([
            {
              field: 'includeSecret',
              message:
                '--include-secret needs --output FILE: a secret is written only to a file (mode 0600), never to the terminal.',
            },
          ]);
        if (opts.output) {
          const written = await call('exportHandoff', {
            organisation: opts.org,
            clientId,
            format: opts.format,
            includeSecret: Boolean(opts.includeSecret),
            recipient: opts.recipient,
            path: resolve(opts.output),
          });
          if ('path' in written)
            io.out(
              `Wrote ${written.path}${opts.includeSecret ? ' (it holds the secret: keep it out of source control)' : ''}`,
            );
          return;
        }
        if (opts.format === 'age')
          throw AppError.invalid([
            {
              field: 'output',
              message: '--format age needs --output FILE: the encrypted handoff is written to a file.',
            },
          ]);
        const handoff = await call('handoffApp', { organisation: opts.org, clientId, format: opts.format });
        io.out(handoff.document);
      },
    );
}

export function registerSecretsCommands(apps: Command, context: CommandContext): void {
  addSecrets(apps, context);
  addGenerateSecret(apps, context);
  addDeleteSecret(apps, context);
  addHandoff(apps, context);
}
