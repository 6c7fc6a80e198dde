// Builds the renderer and the bridge once before the specs run.
import { buildBridge, buildRenderer } from './build';

export default async function globalSetup(): Promise<void> {
  await buildRenderer();
  await buildBridge();
}
