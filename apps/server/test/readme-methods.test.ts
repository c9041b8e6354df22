// The README's method table names every Matomo method of the contract, and only those.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readmePath } from '../scripts/readme-configuration';

const specPath = join(import.meta.dirname, '..', '..', '..', 'openapi.yaml');

/** `Module.method` for each row of the table between the README's `methods` markers. */
function readmeMethods(readme: string): string[] {
  const from = readme.indexOf('<!-- methods:');
  const to = readme.indexOf('<!-- /methods -->');
  expect(from, 'the README has its methods table').toBeGreaterThan(0);
  const methods: string[] = [];
  for (const line of readme.slice(from, to).split('\n')) {
    const row = /^\| `(\w+)` \| (.*) \|$/.exec(line);
    if (!row) continue;
    // Only the leading names of the cell: parenthesised notes may quote parameters.
    const names = (row[2] ?? '').replace(/\([^)]*\)/g, '');
    for (const name of names.matchAll(/`(\w+)`/g)) methods.push(`${row[1]}.${name[1]}`);
  }
  return methods.sort();
}

test('the README lists every Matomo method of openapi.yaml, and no other', () => {
  const spec = readFileSync(specPath, 'utf8');
  const contract = [...spec.matchAll(/^ {2}\/api\/(\w+\.\w+):/gm)].map((match) => match[1]).sort();
  expect(contract.length).toBeGreaterThan(60);
  expect(readmeMethods(readFileSync(readmePath, 'utf8'))).toEqual(contract);
});
