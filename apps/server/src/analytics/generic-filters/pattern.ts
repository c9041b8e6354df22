import { RE2JS } from 're2js';
import { type Row, subtableOf, type Table } from './table';

/**
 * `filter_pattern` (on `filter_column`, default `label`) and `filter_pattern_recursive` (on
 * `filter_column_recursive`): Matomo matches a case-insensitive regular expression
 * (`preg_match('/…/i')`). A pattern that does not compile matches nothing, as `preg_match`
 * failing does.
 */
export interface PatternOptions {
  column: string;
  pattern: string;
}

/** A compiled pattern: whether a text contains a match. */
export interface Pattern {
  test(text: string): boolean;
}

/**
 * The pattern as Matomo runs it, case-insensitive; `undefined` when it is not a valid expression.
 * The caller writes it, so it runs on RE2 (`re2js`), whose matching time is linear in the text:
 * a pattern built to backtrack for ever (`(a+)+$`) cannot stall the server, as Node's own engine
 * would let it. RE2 has no back-references or look-arounds: such a pattern is invalid here, and
 * matches nothing, as a pattern `preg_match` cannot compile.
 */
export function compilePattern(pattern: string): Pattern | undefined {
  try {
    const compiled = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
    return { test: (text) => compiled.matcher(text).find() };
  } catch {
    return undefined;
  }
}

/** A cell as `preg_match` sees it: absent is the empty string, numbers are their digits. */
function cellText(row: Row, column: string): string {
  const value = row[column];
  if (value === undefined || value === null || value === false) return '';
  if (value === true) return '1';
  return typeof value === 'object' ? '' : String(value);
}

function matches(regex: Pattern | undefined, row: Row, column: string): boolean {
  return regex?.test(cellText(row, column)) === true;
}

/** Keeps the rows of this table (not of its subtables) whose column matches. */
export function filterPattern(table: Table, { column, pattern }: PatternOptions): Table {
  const regex = compilePattern(pattern);
  return table.filter((row) => matches(regex, row, column));
}

/**
 * Keeps a row when it matches or when a row of its subtable (at any depth) does; subtables are
 * pruned the same way. Rows without a loaded subtable must match themselves.
 */
export function filterPatternRecursive(table: Table, { column, pattern }: PatternOptions): Table {
  const regex = compilePattern(pattern);
  const prune = (rows: Table): Table =>
    rows.flatMap((row) => {
      const subtable = subtableOf(row);
      if (subtable) {
        const kept = prune(subtable);
        if (kept.length > 0) return [{ ...row, subtable: kept }];
      }
      return matches(regex, row, column) ? [subtable ? { ...row, subtable: [] } : row] : [];
    });
  return prune(table);
}
