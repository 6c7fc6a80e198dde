// Client authentication against hashed, multiple, expiring secrets instead of one plain client_secret.
import type Provider from 'oidc-provider';
import type { ClientStore } from '../store/clients';

/**
 * oidc-provider compares a presented client_secret to the one plain `client_secret` of the client's metadata.
 * Its maintainer's answer for hashed secrets is to override `Client.prototype.compareClientSecret`, a public
 * extension point (node-oidc-provider issues #104, #631, discussion #1410): oidc-provider still parses
 * client_secret_basic and client_secret_post, checks the auth method and answers `invalid_client` when this says
 * no. The price is that client_secret_jwt and HS* algorithms, which need the plain secret as a key, stay disabled.
 * Here every unexpired secret of the client is checked, which is what lets an app rotate without downtime.
 */
export function authenticateWithHashedSecrets(provider: Provider, clients: ClientStore): void {
  provider.Client.prototype.compareClientSecret = function compareClientSecret(presented: string): boolean {
    return clients.verifySecret(this.clientId, presented);
  };
}
