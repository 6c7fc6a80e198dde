// Bearer authentication of the management API: a JWT access token of this server carrying one of the route's scopes.
import type { Middleware } from 'koa';
import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { JWK } from 'jose';
import { ApiProblem } from './problem';

interface BearerSettings {
  issuer: string;
  audience: string;
  jwks: { keys: JWK[] };
}

export type ScopeGuard = (...acceptedScopes: string[]) => Middleware;

/** Makes the guard of a route: 401 without a valid token of this server, 403 when it lacks every accepted scope. */
export function bearerGuard(settings: BearerSettings): ScopeGuard {
  const keys = createLocalJWKSet(settings.jwks);
  const challenge = (error?: string) => ({
    'WWW-Authenticate': `Bearer realm="${settings.issuer}"${error ? `, error="${error}"` : ''}`,
  });

  return (...acceptedScopes) =>
    async (ctx, next) => {
      const header = ctx.get('authorization');
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      if (token === undefined) throw new ApiProblem(401, 'A bearer access token is required.', undefined, challenge());

      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: settings.issuer,
          audience: settings.audience,
          algorithms: ['RS256'],
          typ: 'at+jwt',
        }));
      } catch {
        throw new ApiProblem(401, 'The access token is invalid or expired.', undefined, challenge('invalid_token'));
      }

      const granted = new Set(typeof payload.scope === 'string' ? payload.scope.split(' ') : []);
      if (!acceptedScopes.some((scope) => granted.has(scope))) {
        throw new ApiProblem(
          403,
          `The access token needs one of these scopes: ${acceptedScopes.join(', ')}.`,
          undefined,
          challenge('insufficient_scope'),
        );
      }
      await next();
    };
}
