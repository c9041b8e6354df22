#!/usr/bin/env node
// `npm run server -- <command>`: the server's command line (serve, clients, users, sites, keys,
// audit, backup, restore; `--help` lists them) on a machine that may have only Node and npm. Like
// start.mjs, without the demo: it installs what is missing (see workspace.mjs), builds the server
// when its build is missing or stale, then runs the build (`apps/server/dist/main.js`) with plain
// node, as production does, with the arguments as given, so that Ctrl-C reaches the server alone.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureServerBuild, ensureWorkspace } from './workspace.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const serverDir = join(root, 'apps/server');
ensureWorkspace();
let main;
try {
  main = ensureServerBuild();
} catch (error) {
  console.error(`[server.mjs] ${error.message}`);
  process.exit(1);
}
const args = process.argv.slice(2);
// Relative paths (a backup FILE, --password-file) are the caller's: npm runs scripts from the
// root, and says where it was called from in INIT_CWD. The database stays the one `npm start` uses
// unless the operator names another.
const cwd = process.env.INIT_CWD ?? process.cwd();
const env = { ...process.env };
if (
  !env.DATABASE_PATH &&
  !args.some((arg) => arg === '--database-path' || arg.startsWith('--database-path='))
)
  env.DATABASE_PATH = join(serverDir, 'data/matomo-oauth2.sqlite');
// Source maps: a stack trace in the log names src/…ts lines, not the bundle's.
const server = spawn(process.execPath, ['--enable-source-maps', main, ...args], {
  cwd,
  env,
  stdio: 'inherit',
});
// The terminal sends Ctrl-C to the server as well: wait for it to stop cleanly.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (signal !== 'SIGINT') server.kill(signal);
  });
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
