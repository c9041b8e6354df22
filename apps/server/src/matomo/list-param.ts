import { MatomoApiError } from '../errors/matomo-api-error';
import type { Params } from '../http/params';

/**
 * A Matomo list parameter: `name[]=a&name[]=b`, `name=a&name=b`, or one string split on
 * `separator`. Values are trimmed; empty ones dropped. Undefined when the parameter is absent.
 */
export function listParam(params: Params, name: string, separator: RegExp): string[] | undefined {
  const values = [...params.getAll(name), ...params.getAll(`${name}[]`)];
  if (values.length === 0) return undefined;
  return values
    .flatMap((value) => (values.length === 1 ? value.split(separator) : [value]))
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

/** `idSite` as Matomo reads it: `all`, or the site ids it names. */
export type IdSites = 'all' | number[];

/**
 * Reads `idSite` as Matomo's `Site::getIdSitesFromIdSitesString` does: exactly `all`, or a
 * comma-separated list whose entries are trimmed, and where empty entries (`1,`), words and
 * numbers below 1 are dropped and duplicates count once (`1,1` is site 1). Ids come back
 * ascending. Where Matomo would read a decimal or an exponent (`1.5`, `1e3`) or an id beyond
 * 2^53 as a number, this refuses it instead. Repeated `idSite` parameters are read as one list.
 */
export function readIdSites(params: Params): IdSites {
  const raw = params.getAll('idSite');
  if (raw.length === 0) throw new MatomoApiError("Please specify a value for 'idSite'.");
  const value = raw.join(',');
  if (value === 'all') return 'all';
  const ids = new Set<number>();
  for (const entry of value.split(',')) {
    const id = siteId(phpTrim(entry));
    if (id !== undefined) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

/** The characters PHP's `trim` removes: space, tab, line feed, carriage return, NUL, vertical tab. */
const PHP_BLANKS = new Set([' ', '\t', '\n', '\r', '\u0000', '\u000B']);

function phpTrim(text: string): string {
  let start = 0;
  let end = text.length;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: past the end, charAt gives '', no blank: the loop stops anyway
  while (start < end && PHP_BLANKS.has(text.charAt(start))) start++;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: an all-blank entry gives '' either way (slice of a reversed range)
  while (end > start && PHP_BLANKS.has(text.charAt(end - 1))) end--;
  return text.slice(start, end);
}

/** A PHP numeric string (`is_numeric`) after trimming. */
const PHP_NUMERIC = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

function siteId(entry: string): number | undefined {
  if (!PHP_NUMERIC.test(entry)) return undefined;
  const id = Number(entry);
  if (!(id > 0)) return undefined;
  if (!/^[0-9]+$/.test(entry) || !Number.isSafeInteger(id)) {
    throw new MatomoApiError(
      `The parameter idSite is not valid: expected a website id, a comma-separated list of ids, or "all".`,
    );
  }
  return id;
}
