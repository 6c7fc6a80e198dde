#!/usr/bin/env node
// oauth-desk: the CLI of OAuth Desk. Runs the TypeScript sources through tsx, so `npx oauth-desk` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');
