/** A value ready to bind: text, or a number where the column is a number in Matomo. */
export type SqlValue = string | number;

/** The value as written. */
export const asText = (value: string): SqlValue => value;

/** A number where it reads as one (MySQL compares a numeric column with a numeric string as numbers). */
export function asNumber(value: string): SqlValue {
  return /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value) ? Number(value) : value;
}

/**
 * MySQL's reading of a string compared with a number: its longest numeric prefix, or 0
 * (`'7abc'` is 7, `'abc'` is 0), as it compares a number column with a segment value.
 */
export function asMysqlNumber(value: string): SqlValue {
  const prefix = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(value);
  return prefix ? Number(prefix[0]) : 0;
}
