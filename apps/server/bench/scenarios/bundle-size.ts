import { BROWSER_BUDGET, bundleMainEntry } from '../../../../packages/sdk/test/browser-bundle';
import { bytes, type Section, times } from '../results';

/** The SDK's main entry bundled for the browser as its packaging test does it, raw and gzipped, beside its budget. */
export async function bundleSize(): Promise<Section> {
  const { code, gzipped } = await bundleMainEntry();
  return {
    title: 'SDK browser bundle (main entry, ESM, minified)',
    rows: [
      { name: 'minified', figure: bytes(code.length) },
      {
        name: 'minified and gzipped',
        figure: bytes(gzipped),
        reference: `the SDK's budget: ${bytes(BROWSER_BUDGET)}`,
        ratio: times(gzipped / BROWSER_BUDGET),
        target: `≤ ${bytes(BROWSER_BUDGET)}`,
        met: gzipped <= BROWSER_BUDGET,
      },
    ],
  };
}
