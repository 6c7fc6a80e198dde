// The handoff's secretless part, as zod fields of `Handoff` (model.ts): an application's federated credentials and the
// pipeline snippets filled from it (src/shared/pipelineSnippets.ts).
import { z } from 'zod';

export const HandoffFederatedFields = {
  /** Its federated credentials: a pipeline whose ID token has this issuer, audience and subject needs no secret. */
  federatedCredentials: z.array(
    z.object({ name: z.string(), issuer: z.string(), audience: z.string(), subject: z.string() }),
  ),
  /** With federated credentials: a GitHub Actions job, a GitLab CI job and the uip login line. */
  pipelines: z.array(
    z.object({
      id: z.enum(['github', 'gitlab', 'uip']),
      title: z.string(),
      language: z.enum(['yaml', 'shell']),
      audience: z.string(),
      text: z.string(),
    }),
  ),
  /** Federated credentials and no secret: the handoff carries no secret, only the pipelines. */
  secretless: z.boolean(),
};
