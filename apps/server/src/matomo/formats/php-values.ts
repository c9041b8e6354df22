// Matomo's renderers are PHP: these are the few PHP value rules their output depends on.

/** A JSON object or array, as PHP sees it: an array. */
export type PhpArray = Record<string, unknown> | unknown[];

export function isPhpArray(value: unknown): value is PhpArray {
  return typeof value === 'object' && value !== null;
}

/** The entries of an array or object, keys as strings (PHP's order: insertion order). */
export function entriesOf(value: PhpArray): [string, unknown][] {
  return Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
}

/** The first value (PHP's `reset()`), or undefined for an empty array. */
export function firstValue(value: PhpArray): unknown {
  return entriesOf(value)[0]?.[1];
}

/** PHP's `Piwik::isAssociativeArray`: not a list with keys 0, 1, 2, … */
export function isAssociative(value: PhpArray): boolean {
  if (Array.isArray(value)) return false;
  return Object.keys(value).some((key, index) => key !== String(index));
}

/** A key PHP stores as an integer (`"12"` is the integer 12, `"012"` stays a string). */
export function isIntegerKey(key: string): boolean {
  return /^(0|-?[1-9][0-9]*)$/.test(key);
}

/** PHP 8's `is_numeric`: numbers, and strings that read as one (whitespace around allowed). */
export function isNumeric(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'string') return false;
  return /^[ \t\n\r\v\f]*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t\n\r\v\f]*$/.test(value);
}

/** PHP's string conversion of a scalar: `true` is "1", `false` and `null` are "". */
export function phpString(value: unknown): string {
  if (value === true) return '1';
  if (value === false || value === null || value === undefined) return '';
  return String(value);
}

/** PHP's `empty()` for a scalar or an array. */
export function isPhpEmpty(value: unknown): boolean {
  if (isPhpArray(value)) return entriesOf(value).length === 0;
  return (
    value === undefined || value === null || value === false || value === 0 || value === '' || value === '0'
  );
}
