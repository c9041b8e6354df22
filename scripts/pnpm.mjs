#!/usr/bin/env node
// Runs pnpm with the given arguments on a machine that may have only Node and npm: it makes
// `npm test` work from a fresh clone (see workspace.mjs), then hands over to pnpm.
import { ensureWorkspace, run } from './workspace.mjs';

const [command, leading] = ensureWorkspace();
const result = run(command, [...leading, ...process.argv.slice(2)]);
process.exit(result.status ?? 1);
