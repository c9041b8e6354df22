// Makes a fresh clone usable on a machine that may have only Node and npm: finds (or installs)
// the pinned pnpm and installs the workspace when needed. Used by pnpm.mjs and start.mjs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const wanted = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: buildEnv(), ...options });
  if (result.error) return { status: 127, error: result.error };
  return result;
}

function buildEnv() {
  const env = { ...process.env };
  // sqlite3 compiles from source; node-gyp under pnpm ignores npm's `nodedir` and
  // tries to download Node's headers, which fails offline. Point it at the local ones.
  if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
  return env;
}

function pnpmVersion(command, args) {
  const result = spawnSync(command, [...args, '--version'], { cwd: root, encoding: 'utf8', env: buildEnv() });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** The command (and leading arguments) that runs the pinned pnpm. */
function findPnpm() {
  if (pnpmVersion('pnpm', []) === wanted) return ['pnpm', []];
  console.error(`[pnpm.mjs] pnpm ${wanted} not found on PATH; installing it with npm`);
  const global = spawnSync('npm', ['install', '--global', `pnpm@${wanted}`], {
    stdio: 'inherit',
    env: buildEnv(),
  });
  if (global.status === 0 && pnpmVersion('pnpm', []) === wanted) return ['pnpm', []];
  // No rights for a global install: let npx keep it in its cache instead.
  const npx = ['--yes', `pnpm@${wanted}`];
  if (pnpmVersion('npx', npx) === wanted) return ['npx', npx];
  console.error(`[pnpm.mjs] could not obtain pnpm ${wanted}`);
  process.exit(1);
}

/** True when node_modules is missing or older than the lockfile. */
function needsInstall() {
  const marker = join(root, 'node_modules', '.pnpm', 'lock.yaml');
  if (!existsSync(marker)) return true;
  return statSync(join(root, 'pnpm-lock.yaml')).mtimeMs > statSync(marker).mtimeMs;
}

/** Makes sure the pinned pnpm and the workspace's dependencies are there; returns how to run pnpm. */
export function ensureWorkspace() {
  const [command, leading] = findPnpm();
  if (needsInstall()) {
    const install = run(command, [...leading, 'install', '--frozen-lockfile']);
    if (install.status !== 0) process.exit(install.status ?? 1);
    // pnpm leaves its record untouched when nothing changed: mark it current for next time.
    const marker = join(root, 'node_modules', '.pnpm', 'lock.yaml');
    if (existsSync(marker)) utimesSync(marker, new Date(), new Date());
  }
  return [command, leading];
}

/** The newest modification time under `path` (a file or a directory, without node_modules). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path)
    .filter((name) => name !== 'node_modules' && name !== 'dist')
    .reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

/**
 * Builds the demo dashboard (`apps/demo`, served at /demo/ in demo mode) when its build is missing
 * or older than its sources or the SDK's. A failed build is reported, and the server starts anyway:
 * /demo/ then says how to build it.
 */
export function ensureDemoDashboard([command, leading]) {
  const demo = join(root, 'apps/demo');
  const built = join(demo, 'dist', 'index.html');
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((name) => join(demo, name));
  const latest = Math.max(...sources.map(newest), newest(join(root, 'packages/sdk/src')));
  if (existsSync(built) && statSync(built).mtimeMs >= latest) return;
  console.error('[workspace.mjs] building the demo dashboard (apps/demo)');
  const result = run(command, [...leading, '--filter', '@matomo-oauth2/demo', 'build']);
  if (result.status !== 0)
    console.error('[workspace.mjs] the demo dashboard did not build; /demo/ will say so');
}
