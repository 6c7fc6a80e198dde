// The CLI's own words turned into contract input: the organisation option, repeatable options, ports, expiry dates, scopes.
import { Option } from 'commander';
import { AppError } from '../shared/errors';
import type { ScopeRequest } from '../shared/model';

/**
 * `--org`: a new Option for each command, as commander keeps one per command. Left out, main works on the current
 * organisation (`orgs use`), unless the command gives its own `fallback` (the users of the local organisation).
 * `--tenant`, its old name, still works (./legacyArgs.ts).
 */
export function organisationOption(fallback?: string): Option {
  const option = new Option(
    '--org <id>',
    'organisation to work on, by its ID in this workspace (default: the current one, see orgs use)',
  );
  return fallback === undefined ? option : option.default(fallback);
}

/** A repeatable option's values, in the order given. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new AppError('invalid_input', `port: must be a whole number from 0 to 65535 (got "${value}").`, [
      { field: 'port', message: `must be a whole number from 0 to 65535 (got "${value}").` },
    ]);
  return port;
}

/** `--expiration`: a date means the end of that day in UTC; a date-time is taken as given. */
export function expiryOf(value: string): string {
  const withTime = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59Z` : value;
  const time = Date.parse(withTime);
  if (Number.isNaN(time))
    throw AppError.invalid([
      { field: 'expiration', message: `Expiration must be a date such as 2027-01-31 (got "${value}").` },
    ]);
  return new Date(time).toISOString();
}

/** `--user-scope` and `--app-scope` values as the contract's scope requests, user scopes first. */
export function scopeRequestsOf(userScopes: readonly string[], appScopes: readonly string[]): ScopeRequest[] {
  return [
    ...userScopes.map((name) => ({ name, type: 'user' as const })),
    ...appScopes.map((name) => ({ name, type: 'application' as const })),
  ];
}

/** A password piped on standard input: the line ending `echo` adds is not part of it. */
export function passwordOf(stdin: string): string {
  return stdin.replace(/\r?\n$/, '');
}
