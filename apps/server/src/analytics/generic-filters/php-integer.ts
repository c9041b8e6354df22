/**
 * A request value read as Matomo reads an integer parameter (`Common::getRequestVar` with type
 * `integer`): any PHP numeric string whose value is a whole number (`3`, ` 3`, `+3`, `3.0`,
 * `1e2`); anything else (`abc`, `1.5`) is not one, and Matomo then uses the parameter's
 * default, or skips the filter that has none.
 */
const NUMERIC = /^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*$/;

export function phpInteger(value: string | undefined): number | undefined {
  if (value === undefined || !NUMERIC.test(value)) return undefined;
  const number = Number(value.trim());
  return Number.isSafeInteger(number) ? number : undefined;
}

/** PHP's `is_numeric`, for a cell: a number, or a numeric string. */
export function isNumericValue(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && NUMERIC.test(value);
}
