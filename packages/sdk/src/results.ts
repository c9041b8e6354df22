/**
 * Narrowing a result whose shape the types cannot tell, because `date` (or `period`) was computed at
 * run time. On its own entry: the typical app, with literal parameters, does not need it.
 *
 * @packageDocumentation
 */
import type { ByPeriod, BySite, Single } from './matomo-call-types';

// Matomo's period labels: day 2026-11-25, week or range 2026-11-23,2026-11-29, month 2026-11, year 2026.
const LABEL = /^\d{4}(-\d\d(-\d\d(,\d{4}-\d\d-\d\d)?)?)?$/;

/**
 * Whether a result of one site is keyed by period label (`date: 'last7'`, `'previous3'` or a date range
 * with a period other than `range`), rather than one period's answer (a record, rows, `[]`, `{ value }`).
 * Narrows the result type both ways. With several sites (`idSite: '1,2'`, `'all'`) the result is keyed by
 * site id first: use it on each site's value. With an `idSite` whose type does not tell one site from
 * several (a plain `string`), it answers without narrowing: one period of several sites looks the same.
 *
 * @example
 * ```ts
 * import { isPeriodMap } from '@matomo-oauth2/sdk/results';
 *
 * const date = range ? `${from},${to}` : 'today'; // a plain string: one period or keyed by period
 * const result = await matomo.call('VisitsSummary.get', { idSite: 1, period: 'day', date });
 * const days = isPeriodMap(result) ? Object.entries(result) : [[date, result] as const];
 * ```
 */
export function isPeriodMap<R extends OneSite<R>>(result: R): result is Extract<R, ByPeriod<R>>;
// When the result may be keyed by site id (`idSite` computed at run time), narrowing would lie both
// ways: one period of several sites has the shape of a period map yet is not one, and site ids such as
// 1000 read as years. So it only answers.
export function isPeriodMap(result: unknown): boolean;
export function isPeriodMap(result: unknown): boolean {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return false;
  const keys = Object.keys(result);
  return keys.length > 0 && keys.every((key) => LABEL.test(key));
}

// `unknown` when no member of `R` is keyed by site id, `never` (so the overload does not apply) otherwise.
type OneSite<R> = [BySite<R>] extends [never] ? unknown : never;

/**
 * The answer of one period, for a result that `isPeriodMap()` said is not keyed by period.
 *
 * @example
 * ```ts
 * import type { SinglePeriod } from '@matomo-oauth2/sdk/results';
 *
 * type Today = SinglePeriod<MatomoResponse<'Actions.get'>>; // ActionsSummary | []
 * ```
 */
export type SinglePeriod<R> = Single<R>;

/**
 * The members of a result union keyed by period label.
 *
 * @example
 * ```ts
 * import type { PeriodMap } from '@matomo-oauth2/sdk/results';
 *
 * type Week = PeriodMap<MatomoResponse<'Actions.get'>>; // { [date: string]: ActionsSummary | [] }
 * ```
 */
export type PeriodMap<R> = ByPeriod<R>;
