#!/usr/bin/env node
// `npm start`: the reference server with its demo data, on a machine that may have only Node and
// npm. It installs what is missing (see workspace.mjs), then runs the server itself, so that Ctrl-C
// reaches the server alone and it can finish its requests and close the database.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDemoDashboard, ensureWorkspace } from './workspace.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
ensureDemoDashboard(ensureWorkspace());
const server = spawn(
  process.execPath,
  ['--import', 'tsx', 'src/main.ts', '--demo', ...process.argv.slice(2)],
  {
    cwd: join(root, 'apps/server'),
    stdio: 'inherit',
  },
);
// The terminal sends Ctrl-C to the server as well: wait for it to stop cleanly.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (signal !== 'SIGINT') server.kill(signal);
  });
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
