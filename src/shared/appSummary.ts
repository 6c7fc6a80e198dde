// The row of the External Applications table for an application: one definition for the workspace cache and the renderer.
import type { AppSummary, ExternalClient } from './model';
import { nextExpiry } from './secrets';

/** `federatedCredentialCount`: when known (the application's answer does not carry its credentials), else null. */
export function summarizeApp(app: ExternalClient, federatedCredentialCount: number | null = null): AppSummary {
  let userScopeCount = 0;
  let applicationScopeCount = 0;
  for (const resource of app.resources)
    for (const scope of resource.scopes) {
      if (scope.type === 'user') userScopeCount++;
      else applicationScopeCount++;
    }
  return {
    id: app.id,
    name: app.name,
    isConfidential: app.isConfidential,
    redirectUri: app.redirectUri,
    resources: app.resources.map((r) => r.displayName),
    userScopeCount,
    applicationScopeCount,
    secretCount: app.secrets.length,
    nextSecretExpiry: nextExpiry(app.secrets),
    federatedCredentialCount,
  };
}
