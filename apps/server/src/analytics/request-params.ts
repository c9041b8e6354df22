import { MatomoApiError } from '../errors/matomo-api-error';
import type { Params } from '../http/params';

/**
 * Reading the Matomo API's own parameters. Every malformed value is a `MatomoApiError` (status
 * 200, as Matomo answers bad parameters), never a silent default.
 */

export const DEFAULT_FILTER_LIMIT = 100;

/** A caller's value as quoted in an error message: at most 60 characters of it. */
export function shown(value: string): string {
  return value.length > 60 ? `${value.slice(0, 60)}…` : value;
}

/** Rows after `filter_offset`, at most `limit` of them (`undefined`: all). */
export interface RowWindow {
  offset: number;
  limit: number | undefined;
}

export function requireParam(params: Params, name: string): string {
  const value = params.get(name);
  if (value === undefined) throw new MatomoApiError(`Please specify a value for '${name}'.`);
  return value;
}

/** A Matomo boolean: `1` or `0`; absent is `false`. */
export function readFlag(params: Params, name: string): boolean {
  const value = params.get(name);
  if (value === undefined || value === '0') return false;
  if (value === '1') return true;
  throw new MatomoApiError(`The parameter '${name}' must be 0 or 1, got '${shown(value)}'.`);
}

/** `filter_limit` (default 100, `-1` for all) and `filter_offset` (default 0). */
export function readRowWindow(
  params: Params,
  defaultLimit: number | undefined = DEFAULT_FILTER_LIMIT,
): RowWindow {
  const limitText = params.get('filter_limit');
  let limit: number | undefined = defaultLimit;
  if (limitText !== undefined) {
    if (limitText === '-1') limit = undefined;
    else limit = readCount(limitText, 'filter_limit', 'must be -1 or a whole number, 0 or more');
  }
  const offsetText = params.get('filter_offset');
  const offset =
    offsetText === undefined
      ? 0
      : readCount(offsetText, 'filter_offset', 'must be a whole number, 0 or more');
  return { offset, limit };
}

/** Applies a row window to one table of rows. */
export function windowRows<T>(rows: readonly T[], window: RowWindow): T[] {
  const end = window.limit === undefined ? undefined : window.offset + window.limit;
  return rows.slice(window.offset, end);
}

/** A positive whole number parameter (`idSubtable`, `lastN`), or undefined when absent. */
export function readPositiveInteger(params: Params, name: string): number | undefined {
  const value = params.get(name);
  if (value === undefined) return undefined;
  const count = readCount(value, name, 'must be a whole number, 1 or more');
  if (count < 1)
    throw new MatomoApiError(
      `The parameter '${name}' must be a whole number, 1 or more, got '${shown(value)}'.`,
    );
  return count;
}

/** A whole number parameter, 0 or more (`idNote`, `minTimestamp`), or undefined when absent. */
export function readNonNegativeInteger(params: Params, name: string): number | undefined {
  const value = params.get(name);
  return value === undefined ? undefined : readCount(value, name, 'must be a whole number, 0 or more');
}

function readCount(value: string, name: string, rule: string): number {
  const count = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(count)) {
    throw new MatomoApiError(`The parameter '${name}' ${rule}, got '${shown(value)}'.`);
  }
  return count;
}
