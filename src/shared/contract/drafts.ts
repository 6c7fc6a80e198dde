// Drafts: registrations saved in the workspace without asking a server, registered later.
import { z } from 'zod';
import type { ExternalClient, NewSecret, SavedDraft } from '../model';
import { isConfidential, redirectUri, scopes, organisation } from './fields';
import { labelled, op } from './operation';

const draftId = labelled(z.string({ error: 'Draft ID is required.' }).min(1, 'Draft ID is required.'), 'Draft ID');

export const draftOperations = {
  /** Saves a registration as a draft of an organisation (new, or `draftId` to change one); never asks a server. */
  saveDraft: op<SavedDraft>()(
    z
      .object({
        organisation,
        draftId: labelled(z.string().min(1, 'Draft ID must not be empty.'), 'Draft ID').optional(),
        name: labelled(z.string({ error: 'Application Name is required.' }), 'Application Name'),
        isConfidential,
        redirectUri: redirectUri.default(null),
        scopes: scopes.default([]),
      })
      .strict(),
  ),
  /** An organisation's drafts, listed with its applications. */
  listDrafts: op<SavedDraft[]>()(z.object({ organisation }).strict()),
  deleteDraft: op<{ deleted: true }>()(z.object({ draftId }).strict()),
  /**
   * Registers a draft: the rules against the organisation's live catalogue, then the path of createApp (a confidential
   * app's secret to the keychain). The draft goes once the application exists.
   */
  registerDraft: op<{ app: ExternalClient; secret: NewSecret | null }>()(z.object({ draftId }).strict()),
} as const;
