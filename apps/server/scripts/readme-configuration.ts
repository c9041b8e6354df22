// Writes the configuration table of the root README from the options table (`pnpm --filter
// @matomo-oauth2/server docs`); test/readme-configuration.test.ts fails when they differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configurationTable } from '../src/config/help';

export const readmePath = join(import.meta.dirname, '..', '..', '..', 'README.md');
const start = '<!-- configuration:start (generated from apps/server/src/config/options.ts) -->';
const end = '<!-- configuration:end -->';

/** The README's configuration section: the table between the markers. */
export function readmeConfiguration(readme: string): string | undefined {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) return undefined;
  return readme.slice(from + start.length, to).trim();
}

if (process.argv[1] === import.meta.filename) {
  const readme = readFileSync(readmePath, 'utf8');
  const current = readmeConfiguration(readme);
  if (current === undefined) throw new Error(`README.md has no ${start} … ${end} section`);
  writeFileSync(readmePath, readme.replace(current, configurationTable()));
  console.log('README.md: configuration table written.');
}
