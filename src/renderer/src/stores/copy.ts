// Copying an application to another organisation: its type, scopes by type and redirect URL; never its secrets. A dry
// run first lists the scopes the target's catalogue lacks; a confidential copy gets its own new secret.
import { defineStore } from 'pinia';
import type { OutputOf } from '../../../shared/contract';
import { api } from '../api';
import { useOrganisationStore } from './organisation';

export type CopyAnswer = OutputOf<'copyAppToOrganisation'>;

export const useCopyStore = defineStore('copy', () => {
  const organisation = useOrganisationStore();

  /** What copying would miss in the target: its scopes the target's catalogue does not have. Nothing is created. */
  function check(clientId: string, to: string): Promise<CopyAnswer> {
    return api.copyAppToOrganisation({ organisation: organisation.currentId, clientId, to, dryRun: true });
  }

  /** Creates the copy; the answer (the new secret in it) goes back to the dialog, which shows it until it closes. */
  function copy(clientId: string, to: string): Promise<CopyAnswer> {
    return api.copyAppToOrganisation({ organisation: organisation.currentId, clientId, to, dryRun: false });
  }

  return { check, copy };
});
