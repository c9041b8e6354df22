import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname } from 'node:path';

/** One figure: what was measured, its reference in the same run, and the target. */
export interface Row {
  name: string;
  figure: string;
  /** The reference the ratio is taken to, with its own figure (`static route: 41,000/s`). */
  reference?: string;
  ratio?: string;
  target?: string;
  /** Whether the target is met; undefined where there is no target. */
  met?: boolean;
  note?: string;
}

/** One scenario's figures, or why it has none. */
export interface Section {
  title: string;
  rows: Row[];
  /** Said under the table: how it was measured. */
  notes?: string[];
  /** The scenario failed: no figure, and the run fails. */
  failure?: string;
  /** Figures stand, but something went wrong on the way (a flow failed): shown, and the run fails. */
  problems?: string[];
}

export interface RunInfo {
  date: Date;
  quick: boolean;
  databases: string[];
  entry: string;
}

export const perSecond = (value: number) => `${Math.round(value).toLocaleString('en-US')}/s`;
export const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
export const times = (value: number) => `${value.toFixed(2)}×`;
export const bytes = (value: number) => `${value.toLocaleString('en-US')} B`;

function header(info: RunInfo): string[] {
  const cpu = cpus();
  return [
    `Date: ${info.date.toISOString()}${info.quick ? ' (--quick: about a second per scenario, small dataset; not figures to compare)' : ''}`,
    `CPU: ${cpu[0]?.model.trim() ?? 'unknown'}, ${cpu.length} cores`,
    `Node: ${process.version}`,
    `Databases: ${info.databases.join(', ')}`,
    `Server: ${info.entry}, log level info (a line per request, to a file), load generator (autocannon) on the same machine`,
  ];
}

const metText = (row: Row) => (row.met === undefined ? '' : row.met ? 'met' : 'missed');
const columns = ['Measure', 'Figure', 'Reference', 'Ratio', 'Target', 'Met'] as const;
const cells = (row: Row) => [
  row.note ? `${row.name} (${row.note})` : row.name,
  row.figure,
  row.reference ?? '',
  row.ratio ?? '',
  row.target ?? '',
  metText(row),
];

/** The whole run as Markdown: `bench/results.md`. */
export function renderMarkdown(info: RunInfo, sections: Section[]): string {
  const lines = ['# `pnpm bench` results', '', ...header(info).map((line) => `- ${line}`), ''];
  for (const section of sections) {
    lines.push(`## ${section.title}`, '');
    if (section.failure) {
      lines.push(`**Failed:** ${section.failure.split('\n')[0]}`, '');
      continue;
    }
    lines.push(`| ${columns.join(' | ')} |`, `| ${columns.map(() => '---').join(' | ')} |`);
    for (const row of section.rows) lines.push(`| ${cells(row).map(escapeCell).join(' | ')} |`);
    lines.push('');
    for (const note of section.notes ?? []) lines.push(note, '');
    for (const problem of section.problems ?? []) lines.push(`**Problem:** ${problem}`, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|');

/** The whole run as an aligned plain-text table, for the terminal: each section's title, then its rows. */
export function renderTable(info: RunInfo, sections: Section[]): string {
  const blocks = sections.map((section) => ({
    title: section.title,
    rows: section.failure
      ? [[`  FAILED: ${section.failure.split('\n')[0]}`]]
      : [
          ...section.rows.map((row) => cells(row).map((cell, index) => (index === 0 ? `  ${cell}` : cell))),
          ...(section.problems ?? []).map((problem) => [`  PROBLEM: ${problem}`]),
        ],
  }));
  const all = [[...columns], ...blocks.flatMap((block) => block.rows.filter((row) => row.length > 1))];
  const widths = columns.map((_, index) => Math.max(...all.map((row) => (row[index] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  const lines = [...header(info), '', line([...columns])];
  for (const block of blocks) lines.push(block.title, ...block.rows.map(line));
  return lines.join('\n');
}

export function writeResults(path: string, info: RunInfo, sections: Section[]): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderMarkdown(info, sections));
}
