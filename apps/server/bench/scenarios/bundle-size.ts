import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bytes, type Section, times } from '../results';

const sdkDir = join(import.meta.dirname, '..', '..', '..', '..', 'packages', 'sdk');

/** The SDK's own budget (packages/sdk/test/packaging.test.ts): minified and gzipped. */
const BUDGET = 8 * 1024;

interface EsbuildResult {
  outputFiles: { contents: Uint8Array }[];
}

/**
 * The SDK's main entry bundled for the browser as its packaging test does it (esbuild, ESM,
 * minified, openapi-fetch included), raw and gzipped, beside the SDK's budget.
 */
export async function bundleSize(): Promise<Section> {
  // The SDK's esbuild: the server does not depend on it.
  const esbuild = createRequire(join(sdkDir, 'package.json'))('esbuild') as {
    build: (options: Record<string, unknown>) => Promise<EsbuildResult>;
  };
  const result = await esbuild.build({
    entryPoints: [join(sdkDir, 'src', 'index.ts')],
    bundle: true,
    minify: true,
    treeShaking: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  const gzipped = gzipSync(code).length;
  return {
    title: 'SDK browser bundle (main entry, ESM, minified)',
    rows: [
      { name: 'minified', figure: bytes(code.length) },
      {
        name: 'minified and gzipped',
        figure: bytes(gzipped),
        reference: `the SDK's budget: ${bytes(BUDGET)}`,
        ratio: times(gzipped / BUDGET),
        target: `≤ ${bytes(BUDGET)}`,
        met: gzipped <= BUDGET,
      },
    ],
  };
}
