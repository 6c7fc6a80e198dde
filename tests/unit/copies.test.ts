// Which scopes of an application another organisation's catalogue cannot grant, by name and by type.
import { describe, expect, it } from 'vitest';
import { scopesMissingFrom } from '../../src/main/services/copies';
import type { Catalogue, CatalogueScopeType } from '../../src/shared/model';

function catalogueOf(scopes: Record<string, CatalogueScopeType>): Catalogue {
  return [
    {
      name: 'Api',
      displayName: 'Api',
      description: '',
      scopes: Object.entries(scopes).map(([name, type]) => ({ name, displayName: name, description: '', type })),
    },
  ];
}

describe('scopesMissingFrom', () => {
  const catalogue = catalogueOf({ 'OR.Jobs': 'user', 'OR.Queues': 'userAndApplication', 'AI.Trainer': 'application' });

  it('lists nothing when the catalogue grants every scope as its type', () => {
    expect(
      scopesMissingFrom(
        [
          { name: 'OR.Jobs', type: 'user' },
          { name: 'OR.Queues', type: 'application' },
          { name: 'OR.Queues', type: 'user' },
          { name: 'AI.Trainer', type: 'application' },
        ],
        catalogue,
      ),
    ).toEqual([]);
  });

  it('lists a scope the catalogue lacks, and one it does not allow as that type, in the order given', () => {
    expect(
      scopesMissingFrom(
        [
          { name: 'OR.Jobs', type: 'application' },
          { name: 'OR.Queues', type: 'user' },
          { name: 'DataFabric.Data.Read', type: 'user' },
          { name: 'AI.Trainer', type: 'user' },
        ],
        catalogue,
      ),
    ).toEqual([
      { name: 'OR.Jobs', type: 'application' },
      { name: 'DataFabric.Data.Read', type: 'user' },
      { name: 'AI.Trainer', type: 'user' },
    ]);
  });
});
