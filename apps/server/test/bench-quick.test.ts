// `pnpm bench --quick` works: every scenario runs against the real server (child processes, real
// HTTP on loopback) and yields a figure, and the results file has every section. No figure is
// judged here: timings on a shared machine prove nothing.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { testDatabaseUrl } from './support/database-under-test';
import { defaultServerEntry } from './support/server-process';

const serverDir = join(import.meta.dirname, '..');
const committedResults = join(serverDir, 'bench', 'results.md');
const temp = makeTempDir('matomo-oauth2-bench-test-');
const out = join(temp.dir, 'results.md');
afterAll(() => temp.remove());

const sections = [
  'SDK browser bundle',
  'Token issuance',
  'Workers',
  'Bearer-checked API call',
  'Reports on SQLite',
  'Authorization-code + PKCE flows',
  'Memory',
  ...(testDatabaseUrl === undefined ? [] : ['Reports on PostgreSQL']),
];

let run: { code: number | null; stdout: string; stderr: string };
let committedBefore: number | undefined;

beforeAll(async () => {
  committedBefore = existsSync(committedResults) ? statSync(committedResults).mtimeMs : undefined;
  // Only what the bench reads: DATABASE_URL when the suite runs on PostgreSQL (a schema of its own).
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  if (testDatabaseUrl !== undefined) env.DATABASE_URL = testDatabaseUrl;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/main.ts', '--quick', '--out', out, '--entry', defaultServerEntry],
    { cwd: serverDir, env },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  run = { code, stdout, stderr };
}, 240_000);

/** The Markdown of each `## ` section of the results, by title. */
function resultSections(markdown: string): Map<string, string> {
  return new Map(
    markdown
      .split(/^## /m)
      .slice(1)
      .map((part) => [part.slice(0, part.indexOf('\n')), part] as const),
  );
}

/** The Figure column of a section's table rows. */
function figures(section: string): string[] {
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Measure') && !line.startsWith('| ---'))
    .map((line) => line.split(' | ')[1] ?? '');
}

describe('pnpm bench --quick', () => {
  test('completes, with exit code 0, and prints the table', () => {
    expect(run.code, `${run.stdout}\n${run.stderr.slice(-4000)}`).toBe(0);
    for (const title of sections) expect(run.stdout).toContain(title);
    expect(run.stdout).not.toMatch(/FAILED|PROBLEM/);
  });

  test('writes the results where --out says, with the machine in the header and every section', () => {
    const markdown = readFileSync(out, 'utf8');
    expect(markdown).toMatch(/^- CPU: .+, \d+ cores$/m);
    expect(markdown).toContain(`- Node: ${process.version}`);
    expect(markdown).toMatch(/^- Databases: SQLite/m);
    const titles = [...resultSections(markdown).keys()];
    for (const title of sections)
      expect(
        titles.some((found) => found.startsWith(title)),
        title,
      ).toBe(true);
    expect(markdown).not.toContain('**Failed:**');
  });

  test('every scenario produced a figure (a number), each token algorithm a figure or why it has none', () => {
    for (const [title, section] of resultSections(readFileSync(out, 'utf8'))) {
      const column = figures(section);
      expect(
        column.some((figure) => /\d/.test(figure)),
        title,
      ).toBe(true);
      if (title.startsWith('Token issuance')) {
        expect(column).toHaveLength(3);
        for (const line of section.split('\n').filter((row) => row.includes('| — |')))
          expect(line).toContain('not supported by this server');
      }
    }
  });

  test('leaves the committed bench/results.md alone', () => {
    expect(existsSync(committedResults) ? statSync(committedResults).mtimeMs : undefined).toBe(
      committedBefore,
    );
  });
});
