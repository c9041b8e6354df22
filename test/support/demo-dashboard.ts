import { chmodSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const demoRoot = fileURLToPath(new URL('../../apps/demo/', import.meta.url));
export const dashboardDist = join(demoRoot, 'dist');

/**
 * Builds `apps/demo` when its `dist` is missing (`pnpm build` builds it before the tests in CI).
 * Builds into a temporary directory, then moves it into place: two test files may ask at once.
 */
export async function ensureDashboardBuilt(): Promise<void> {
  if (existsSync(join(dashboardDist, 'index.html'))) return;
  const outDir = mkdtempSync(join(demoRoot, '.dist-'));
  try {
    await build({ root: demoRoot, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    if (!existsSync(join(dashboardDist, 'index.html'))) {
      rmSync(dashboardDist, { recursive: true, force: true });
      chmodSync(outDir, 0o755); // mkdtemp's 0700 is not what a build directory has
      renameSync(outDir, dashboardDist);
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
