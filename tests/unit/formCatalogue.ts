// The small catalogue the form tests judge drafts against: a scope for both kinds, one for applications, one for users.
import type { Catalogue } from '../../src/shared/model';

export const catalogue: Catalogue = [
  {
    name: 'OrchestratorApiUserAccess',
    displayName: 'Orchestrator API Access',
    description: '',
    scopes: [
      { name: 'OR.Jobs', displayName: 'OR.Jobs', description: '', type: 'userAndApplication' },
      { name: 'OR.Queues', displayName: 'OR.Queues', description: '', type: 'application' },
    ],
  },
  {
    name: 'IdentityServerApi',
    displayName: 'Identity Server API',
    description: '',
    scopes: [{ name: 'PM.User', displayName: 'PM.User', description: '', type: 'user' }],
  },
];
