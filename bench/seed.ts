// Applications for the benchmarks, written straight into the embedded Identity Server's store.
import { ClientStore } from '../src/identity-server/store/clients';
import { openIdentityDatabase } from '../src/identity-server/store/database';
import { identityServerDataDir } from '../src/main/context';

/**
 * Brings the local Identity Server to `total` applications, written straight into its store in one transaction
 * (creating 50 000 through its API would take the benchmark minutes): a third confidential, each with scopes.
 */
export function seed(home: string, partitionGlobalId: string, from: number, total: number): void {
  const db = openIdentityDatabase(identityServerDataDir(home));
  try {
    const clients = new ClientStore(db);
    const areas = ['Jobs', 'Queues', 'Assets', 'Robots', 'Folders', 'Machines'];
    db.transaction(() => {
      for (let i = from; i < total; i++) {
        const area = areas[i % areas.length] ?? 'Jobs';
        const confidential = i % 3 === 0;
        clients.create(
          partitionGlobalId,
          {
            name: `${confidential ? 'Sync' : 'Portal'} ${area} ${String(i).padStart(5, '0')}`,
            isConfidential: confidential,
            redirectUri: confidential ? null : `https://portal${i}.example.com/callback`,
            scopes: confidential
              ? [
                  { name: `OR.${area}`, type: 'application' },
                  { name: 'OR.Folders.Read', type: 'application' },
                ]
              : [
                  { name: `OR.${area}.Read`, type: 'user' },
                  { name: 'DataFabric.Data.Read', type: 'user' },
                ],
          },
          confidential ? { description: null, expiryTime: null } : null,
        );
      }
    })();
  } finally {
    db.close();
  }
}
