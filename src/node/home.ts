// Where OAuth Desk keeps its data and which defaults it uses: the data folder, the local port, the keychain service.
import { isAbsolute, resolve } from 'node:path';
import { AppError } from '../shared/errors';

/** The loopback port of the embedded Identity Server, fixed so that integrations have a stable URL. */
const DEFAULT_LOCAL_PORT = 43110;
/** The keychain service name every secret is filed under; the handoff sheet prints it. */
const DEFAULT_KEYCHAIN_SERVICE = 'oauth-desk';

type Env = Readonly<Record<string, string | undefined>>;

/** The data folder: `OAUTH_DESK_HOME` when set, else `fallback` (Electron passes its userData folder). */
export function resolveHome(fallback: string, env: Env = process.env): string {
  const chosen = nonEmpty(env.OAUTH_DESK_HOME?.trim()) ?? fallback;
  return isAbsolute(chosen) ? chosen : resolve(chosen);
}

/** The port of the local organisation: `OAUTH_DESK_PORT` when set to a valid port, else 43110. */
export function resolveLocalPort(env: Env = process.env): number {
  const raw = env.OAUTH_DESK_PORT?.trim();
  if (!raw) return DEFAULT_LOCAL_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw AppError.invalid([
      {
        field: 'OAUTH_DESK_PORT',
        message: `OAUTH_DESK_PORT must be a port number between 0 and 65535 (it is "${raw}").`,
      },
    ]);
  return port;
}

/** The keychain service name: `OAUTH_DESK_KEYCHAIN_SERVICE` when set (tests use their own), else 'oauth-desk'. */
export function resolveKeychainService(env: Env = process.env): string {
  return nonEmpty(env.OAUTH_DESK_KEYCHAIN_SERVICE?.trim()) ?? DEFAULT_KEYCHAIN_SERVICE;
}

/** An empty variable counts as unset. */
function nonEmpty(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}
