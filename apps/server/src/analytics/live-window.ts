import type { Params } from '../http/params';
import { type RowWindow, readRowWindow } from './request-params';

/** Even `filter_limit=-1` returns at most this many visits: each one carries its actions. */
export const MAX_LIVE_VISITS = 10_000;

/** Which visits of the log `Live.getLastVisitsDetails` returns, and in which order. */
export interface LiveWindow {
  offset: number;
  limit: number;
  /** By last action time, then visit id, both ways. */
  order: 'asc' | 'desc';
}

/**
 * Reads the window as Matomo's `Live\API::getLastVisitsDetails` does. `countVisitorsToFetch`
 * (deprecated there, still honoured) is the limit, cast as PHP's `(int)` casts it, with offset
 * 0 whatever `filter_offset` says; a negative limit is all visits (`Model::queryLogVisits`
 * then sets no SQL limit). Otherwise `filter_limit` and `filter_offset`. `filter_sort_order`
 * orders the SQL query: `asc` (any case) is oldest first, anything else newest first;
 * `filter_sort_column` is ignored (Matomo only logs a warning).
 */
export function readLiveWindow(params: Params): LiveWindow {
  const order = params.get('filter_sort_order')?.toLowerCase() === 'asc' ? 'asc' : 'desc';
  const count = params.get('countVisitorsToFetch');
  const window: RowWindow =
    count === undefined ? readRowWindow(params) : { offset: 0, limit: castToInt(count) };
  const limit = window.limit === undefined || window.limit < 0 ? MAX_LIVE_VISITS : window.limit;
  return { offset: window.offset, limit: Math.min(limit, MAX_LIVE_VISITS), order };
}

// The numeric prefix PHP 8 reads when casting a string to int: leading whitespace, a sign,
// digits with an optional fraction and exponent.
const NUMERIC_PREFIX = /^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/;

/** PHP's `(int) $string`: its numeric prefix, truncated toward zero; 0 without one (`abc`, ``). */
function castToInt(value: string): number {
  const prefix = NUMERIC_PREFIX.exec(value)?.[0];
  if (prefix === undefined) return 0;
  const number = Math.trunc(Number(prefix.trim()));
  return Number.isFinite(number) ? number : Math.sign(number) * Number.MAX_SAFE_INTEGER;
}
