// Types of bundle-sizes.mjs, for the benchmark that reads it.
export interface BundleSizes {
  rendererGzip: number;
  firstViewGzip: number;
  chunks: Record<string, number>;
  firstViewChunks: string[];
  preload: number;
  preloadGzip: number;
  cliEntry: number | null;
}
export function bundleSizes(dir?: string): BundleSizes;
