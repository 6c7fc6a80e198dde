// The version every OAuth Desk process announces on the owner's door: a CLI meeting an owner of another version has
// it replaced (or, the desktop app, explains itself).
import packageJson from '../../package.json' with { type: 'json' };

export const OAUTH_DESK_VERSION: string = packageJson.version;
