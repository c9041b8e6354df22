#!/usr/bin/env node
// `npm run server -- <command>`: the server's command line (serve, clients, users, sites, keys,
// audit, backup, restore; `--help` lists them) on a machine that may have only Node and npm. Like
// start.mjs, without the demo: it installs what is missing (see workspace.mjs), then runs the
// server's main.ts with the arguments as given, so that Ctrl-C reaches the server alone.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWorkspace } from './workspace.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
ensureWorkspace();
const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...process.argv.slice(2)], {
  // As for `npm start`: relative paths (DATABASE_PATH, a backup FILE) are relative to apps/server,
  // so that both find the same database by default (apps/server/data/matomo-oauth2.sqlite).
  cwd: join(root, 'apps/server'),
  stdio: 'inherit',
});
// The terminal sends Ctrl-C to the server as well: wait for it to stop cleanly.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (signal !== 'SIGINT') server.kill(signal);
  });
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
