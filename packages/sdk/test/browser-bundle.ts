import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The budget of the main entry in a browser, minified and gzipped, openapi-fetch included. */
export const BROWSER_BUDGET = 8 * 1024;

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The main entry bundled for the browser as an app's bundler would do it: esbuild, ESM, minified
 * and tree-shaken, dependencies included. Used by the packaging test and by `pnpm bench`.
 */
export async function bundleMainEntry() {
  const result = await build({
    entryPoints: [join(root, 'src', 'index.ts')],
    bundle: true,
    minify: true,
    treeShaking: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { code, gzipped: gzipSync(code).length, inputs: Object.keys(result.metafile.inputs) };
}
