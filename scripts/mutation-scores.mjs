#!/usr/bin/env node
// Holds every mutated file to the break threshold, not only the total that Stryker's own
// `thresholds.break` checks: reads a Stryker result file (mutation-testing-report-schema, the
// incremental file each package commits) and fails when a file kills less than 90% of its mutants.
// Each package's `mutation` script runs it after Stryker: `node ../../scripts/mutation-scores.mjs`.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const MIN_FILE_SCORE = 90;
const path = resolve(process.argv[2] ?? 'reports/stryker-incremental.json');
const report = JSON.parse(readFileSync(path, 'utf8'));

const rows = Object.entries(report.files)
  .map(([file, { mutants }]) => {
    const count = (...statuses) => mutants.filter((mutant) => statuses.includes(mutant.status)).length;
    const killed = count('Killed', 'Timeout');
    const survived = count('Survived');
    const noCoverage = count('NoCoverage');
    // Disabled (Ignored) mutants and those that do not compile or run do not count.
    const counted = killed + survived + noCoverage;
    return {
      file,
      killed,
      survived,
      noCoverage,
      ignored: count('Ignored'),
      score: counted === 0 ? 100 : (100 * killed) / counted,
    };
  })
  .sort((a, b) => a.file.localeCompare(b.file));

const width = Math.max(...rows.map((row) => row.file.length));
for (const row of rows) {
  console.log(
    `${row.file.padEnd(width)}  ${row.score.toFixed(1).padStart(5)}%  killed ${row.killed}, survived ${row.survived}, no coverage ${row.noCoverage}, disabled ${row.ignored}`,
  );
}
const below = rows.filter((row) => row.score < MIN_FILE_SCORE);
if (below.length > 0) {
  console.error(`Below ${MIN_FILE_SCORE}% of mutants killed: ${below.map((row) => row.file).join(', ')}`);
  process.exitCode = 1;
}
