// Makes a fresh clone usable on a machine that may have only Node and npm: finds (or installs)
// the pinned pnpm and installs the workspace when needed. Used by pnpm.mjs and start.mjs.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { createRequire } from 'node:module';
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

/**
 * Builds the server (`apps/server/dist/main.js`, which `npm run server` runs with plain node) when
 * the build is missing or older than anything in its sources; returns the path of `main.js`.
 * Why here and not only in `pnpm build`: after a pull or an edit, a stale build would run
 * yesterday's code without a word, and a build step is one more thing to forget. The check walks
 * `src` (milliseconds); a build takes about a second.
 * It builds into a temporary directory and renames each file into place, `main.js` last: two
 * commands started at once (or a test run and a terminal) never run a half-written file.
 */
export function ensureServerBuild() {
  const server = join(root, 'apps/server');
  const dist = join(server, 'dist');
  const built = join(dist, 'main.js');
  const sources = ['src', 'tsup.config.ts', 'package.json'].map((name) => join(server, name));
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newest))) return built;
  console.error('[workspace.mjs] building the server (apps/server/dist)');
  const started = new Date();
  const tsup = join(
    dirname(createRequire(join(server, 'package.json')).resolve('tsup/package.json')),
    'dist/cli-default.js',
  );
  const outDir = mkdtempSync(join(server, '.dist-'));
  try {
    // tsup's report goes to stderr: a command's stdout (`--json`) stays the command's alone.
    const result = run(process.execPath, [tsup, '--out-dir', outDir], {
      cwd: server,
      stdio: ['ignore', 2, 2],
    });
    if (result.status !== 0) throw new Error('the server did not build (apps/server: pnpm build)');
    mkdirSync(dist, { recursive: true });
    const files = readdirSync(outDir).sort((a, b) => Number(a === 'main.js') - Number(b === 'main.js'));
    for (const name of files) renameSync(join(outDir, name), join(dist, name));
    // Dated from the build's start: a source saved while it ran leaves the build stale.
    utimesSync(built, started, started);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  return built;
}
