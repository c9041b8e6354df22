#!/usr/bin/env node
// The server's test suite, on every database: SQLite files always, then PostgreSQL when
// POSTGRES_TEST_URL names a database the suite may fill with schemas of its own (.ci/run starts
// PostgreSQL and sets it). Extra arguments go to both vitest runs.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The package's own vitest (its bin; not an export of the package).
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const args = process.argv.slice(2);

function run(label, env) {
  console.log(`\n▶ server tests on ${label}\n`);
  const result = spawnSync(process.execPath, [vitest, 'run', ...args], { stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`\n✖ server tests on ${label} failed`);
    process.exit(result.status ?? 1);
  }
}

const { TEST_DATABASE_URL: _unused, POSTGRES_TEST_URL: postgres, ...rest } = process.env;
run('SQLite', rest);
if (postgres) run('PostgreSQL', { ...rest, TEST_DATABASE_URL: postgres });
else console.log('\nPostgreSQL: not run (set POSTGRES_TEST_URL=postgres://… to run the suite on it too)\n');
