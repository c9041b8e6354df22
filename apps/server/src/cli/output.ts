import type { CliIo } from './cli-io';

/** A command's result: JSON for tools (`--json`), text for people. */
export interface Output {
  readonly json: boolean;
  /** Prints `value` as JSON with `--json`, otherwise the text `human()` renders. */
  result(value: unknown, human: () => string): void;
  /** A line for people only (a note, a warning): standard error under `--json`, so the JSON stays parseable. */
  note(text: string): void;
}

export function createOutput(io: CliIo, json: boolean): Output {
  return {
    json,
    result(value, human) {
      io.stdout.write(`${json ? JSON.stringify(value, null, 2) : human()}\n`);
    },
    note(text) {
      (json ? io.stderr : io.stdout).write(`${text}\n`);
    },
  };
}

/** Columns aligned with two spaces; the last column is not padded. `empty` when there is no row. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  empty: string,
): string {
  if (rows.length === 0) return empty;
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  return [headers, ...rows]
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `label  value` lines, labels aligned: one record shown in full. */
export function details(pairs: readonly (readonly [string, string])[]): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `${label.padEnd(width)}  ${value}`.trimEnd()).join('\n');
}

/** A time for people: UTC, to the second. */
export function isoTime(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
