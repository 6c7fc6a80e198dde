// The ExternalClientDto shape of UiPath's API: granted scopes grouped under their catalogue resources, each secret's ID
// an int64 (a JSON number), as schemas/uipath-external-applications.openapi.yaml describes it.
import type {
  AppResource,
  Catalogue,
  CatalogueResource,
  CatalogueScope,
  ExternalClient,
  SecretInfo,
} from '../../shared/model';
import type { ClientRecord, StoredSecret } from '../store/clients';

/** SecretDto: the ID is a number on the wire; lastUsedTime is this server's addition. */
export type SecretDto = Omit<SecretInfo, 'id'> & { id: number };
type ExternalClientDto = Omit<ExternalClient, 'secrets'> & { secrets: SecretDto[]; secret?: string };

/** Turns stored clients into DTOs; builds the catalogue index once. */
export function externalClientMapper(catalogue: Catalogue): (client: ClientRecord) => ExternalClientDto {
  const index = new Map<string, { resource: CatalogueResource; scope: CatalogueScope }>();
  for (const resource of catalogue)
    for (const scope of resource.scopes) if (!index.has(scope.name)) index.set(scope.name, { resource, scope });

  return (client) => {
    const resources = new Map<string, AppResource>();
    for (const granted of client.scopes) {
      const entry = index.get(granted.name);
      // A scope the catalogue no longer lists still shows, under a resource named after it, rather than vanish.
      const resource = entry?.resource ?? { name: granted.name, displayName: granted.name, description: '' };
      let dto = resources.get(resource.name);
      if (!dto) {
        dto = { name: resource.name, displayName: resource.displayName, description: resource.description, scopes: [] };
        resources.set(resource.name, dto);
      }
      dto.scopes.push({
        name: granted.name,
        displayName: entry?.scope.displayName ?? granted.name,
        description: entry?.scope.description ?? '',
        type: granted.type,
      });
    }
    return {
      id: client.id,
      name: client.name,
      isConfidential: client.isConfidential,
      redirectUri: client.redirectUri,
      resources: [...resources.values()],
      secrets: client.secrets.map(secretDto),
    };
  };
}

export function secretDto(secret: StoredSecret): SecretDto {
  return {
    // A rowid of this server's SQLite: a safe integer, so the number is exact.
    id: Number(secret.id),
    description: secret.description,
    creationTime: secret.creationTime,
    expiryTime: secret.expiryTime,
    lastUsedTime: secret.lastUsedTime,
  };
}
