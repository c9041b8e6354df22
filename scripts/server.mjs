#!/usr/bin/env node
// `npm run server -- <command>`: the server's command line (serve, clients, users, sites, keys,
// audit, backup, restore; `--help` lists them) on a machine that may have only Node and npm. Like
// start.mjs, without the demo: it installs what is missing (see workspace.mjs), then runs the
// server's main.ts with the arguments as given, so that Ctrl-C reaches the server alone.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureWorkspace } from './workspace.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const serverDir = join(root, 'apps/server');
ensureWorkspace();
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
const tsx = pathToFileURL(createRequire(join(serverDir, 'package.json')).resolve('tsx')).href;
const server = spawn(process.execPath, ['--import', tsx, join(serverDir, 'src/main.ts'), ...args], {
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
