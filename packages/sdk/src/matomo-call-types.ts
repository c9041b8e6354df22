import type { components, paths } from './generated/openapi';

/**
 * Every Matomo API method of the contract, e.g. `'VisitsSummary.get'`.
 *
 * @example
 * ```ts
 * const method: MatomoMethod = 'Actions.getPageUrls';
 * ```
 */
export type MatomoMethod = {
  [P in keyof paths]: P extends `/api/${infer M}` ? (paths[P] extends { post: object } ? M : never) : never;
}[keyof paths];

type PostOf<M extends MatomoMethod> = paths[`/api/${M}`]['post'];
type FormBody<Op> = Op extends { requestBody?: infer B }
  ? NonNullable<B> extends { content: { 'application/x-www-form-urlencoded': infer Body } }
    ? Body
    : never
  : never;
type Json200<Op> = Op extends { responses: { 200: { content: { 'application/json': infer Body } } } }
  ? Body
  : never;

/**
 * The parameters of a method (its POST form body, without `format`: the client always asks for JSON).
 *
 * @example
 * ```ts
 * const params: MatomoParams<'VisitsSummary.get'> = { idSite: 1, period: 'day', date: 'today' };
 * ```
 */
export type MatomoParams<M extends MatomoMethod> = Omit<FormBody<PostOf<M>>, 'format'>;

/**
 * Everything a method may return, without the Matomo error (which `call()` throws).
 *
 * @example
 * ```ts
 * type Any = MatomoResponse<'VisitsSummary.get'>; // record | [] | by period | by site, and the shapes of `columns`
 * ```
 */
export type MatomoResponse<M extends MatomoMethod> = Exclude<
  Json200<PostOf<M>>,
  components['schemas']['MatomoError']
>;

// An object keyed by period label or site id has a string index signature; records and arrays don't.
type IsMap<T> = T extends object ? (string extends keyof T ? true : false) : false;
type ValueOf<T> = T extends { [key: string]: infer V } ? V : never;
type HasMapValues<T> = true extends IsMapEach<ValueOf<T>> ? true : false;
type IsMapEach<T> = T extends unknown ? IsMap<T> : never;
/** The members of a result union that are one period's answer (a record, rows, `[]`, `{ value }`). */
export type Single<R> = R extends unknown ? (IsMap<R> extends true ? never : R) : never;
/** The members of a result union keyed by period label (or by site id, one period each: the same shape). */
export type ByPeriod<R> = R extends unknown
  ? IsMap<R> extends true
    ? HasMapValues<R> extends true
      ? never
      : R
    : never
  : never;
/** The members of a result union keyed by site id with a value keyed by period label (several of each). */
export type BySite<R> = R extends unknown
  ? IsMap<R> extends true
    ? HasMapValues<R> extends true
      ? R
      : never
    : never
  : never;
type SiteValues<R, Periods extends boolean> =
  ValueOf<BySite<R>> extends infer V
    ? V extends unknown
      ? IsMap<V> extends Periods
        ? V
        : never
      : never
    : never;
type Or<T, Fallback> = [T] extends [never] ? Fallback : T;

// `true`, `false`, or `boolean` when the literal types do not tell.
type ManySites<S> = S extends number
  ? false
  : S extends 'all' | `${string},${string}`
    ? true
    : string extends S
      ? boolean
      : false;
type ManyDates<D> = D extends `last${number}` | `previous${number}` | `${string},${string}`
  ? true
  : string extends D
    ? boolean
    : false;
type ManyPeriods<P> = P extends { date: infer D }
  ? P extends { period: infer Period }
    ? [Period] extends ['range']
      ? false
      : 'range' extends Period
        ? ManyDates<D> extends false
          ? false
          : boolean
        : ManyDates<D>
    : ManyDates<D>
  : false;
type Shape<P> = [P extends { idSite: infer S } ? ManySites<S> : false, ManyPeriods<P>];

/**
 * A method's result narrowed by the literal types of `idSite`, `period` and `date` (Matomo's rules):
 * several sites (`'1,2'`, `'all'`) give an object keyed by site id; several periods (`date: 'last7'`,
 * `'previous3'` or `'2026-01-01,2026-01-31'` with a period other than `range`) an object keyed by period
 * label; both, sites first. When the types do not tell (plain `string`), it is the whole union, or for
 * one site one period's answer or the period map (`isPeriodMap()` from `/results` tells them apart). With
 * `columns` (`VisitsSummary.get`, `VisitFrequency.get`) the record has the named columns only, and one
 * column is its value (`{ value: 5 }`, or `{ '2026-11-01': 5, … }`); without it, the shapes of
 * `columns` are not in the result.
 *
 * @example
 * ```ts
 * type Week = MatomoResult<'VisitsSummary.get', { idSite: 1; period: 'day'; date: 'last7' }>;
 * // { [date: string]: VisitsSummary | [] }
 * type Visits = MatomoResult<'VisitsSummary.get', { idSite: 1; period: 'day'; date: 'last30'; columns: 'nb_visits' }>;
 * // { [date: string]: number | [] }
 * ```
 */
export type MatomoResult<M extends MatomoMethod, P = MatomoParams<M>> = M extends KeyedBySiteAlways
  ? MatomoResponse<M>
  : Narrow<ByColumns<M, P>, Shape<P>>;

type Schemas = components['schemas'];

// The record methods with a `columns` parameter: their result without it (every column), with it
// (the contract's union for any list), and the record, whose one column `columns: 'nb_visits'` reads.
interface ColumnsMethods {
  'VisitsSummary.get': {
    all: Schemas['VisitsSummaryResult'];
    some: Schemas['VisitsSummaryColumnsResult'];
    record: Schemas['VisitsSummary'];
  };
  'VisitFrequency.get': {
    all: Schemas['VisitFrequencyResult'];
    some: Schemas['VisitFrequencyColumnsResult'];
    record: Schemas['VisitFrequency'];
  };
}

// `false` without `columns` (or `''`, `'0'`: every column, as Matomo reads them), the one column's
// name for a literal without a comma, `true` for another list, `boolean` when the types do not tell.
type ColumnsAsked<P> = 'columns' extends keyof P
  ? P['columns' & keyof P] extends infer C
    ? [C] extends ['' | '0' | undefined]
      ? false
      : undefined extends C
        ? boolean
        : string extends C
          ? true
          : C extends `${string},${string}`
            ? true
            : C
    : never
  : false;

type ByColumns<M extends MatomoMethod, P> = M extends keyof ColumnsMethods
  ? ColumnsResult<ColumnsMethods[M], ColumnsAsked<P>>
  : MatomoResponse<M>;

type ColumnsResult<T extends { all: unknown; some: unknown; record: unknown }, Asked> = Asked extends false
  ? T['all']
  : Asked extends true
    ? T['some']
    : boolean extends Asked
      ? T['all'] | T['some']
      : Asked extends keyof T['record']
        ? OneColumn<T['record'][Asked], undefined extends T['record'][Asked] ? true : false>
        : T['some'];

// One column, read as its value: `{ value }` alone (or `[]` where the record may lack the column,
// such as unique visitors in a year), the value or `[]` keyed by period label, then by site id.
type OneColumn<V, Optional extends boolean> =
  | { value: Exclude<V, undefined> }
  | (Optional extends true ? Schemas['EmptyResult'] : never)
  | { [date: string]: Exclude<V, undefined> | Schemas['EmptyResult'] }
  | {
      [idSite: string]:
        | Exclude<V, undefined>
        | { [date: string]: Exclude<V, undefined> | Schemas['EmptyResult'] };
    };

// Keyed by site id whatever `idSite` and `date` say (or `[]` when empty): never narrowed.
type KeyedBySiteAlways = 'Annotations.getAll';

type Narrow<R, S> = S extends [false, false]
  ? Or<Single<R>, R>
  : S extends [false, true]
    ? Or<ByPeriod<R>, R>
    : // One site, periods unknown (`date` or `period` computed at run time): never keyed by site.
      S extends [false, boolean]
      ? Or<Single<R> | ByPeriod<R>, R>
      : S extends [true, infer Periods extends boolean]
        ? boolean extends Periods
          ? R
          : [SiteValues<R, Periods>] extends [never]
            ? R
            : { [idSite: string]: SiteValues<R, Periods> }
        : R;

/**
 * The methods that need no parameter (`call('API.getMatomoVersion')`).
 *
 * @example
 * ```ts
 * const method: MatomoMethodWithoutParams = 'SitesManager.getSitesWithAtLeastViewAccess';
 * ```
 */
export type MatomoMethodWithoutParams = {
  [M in MatomoMethod]: Record<never, never> extends MatomoParams<M> ? M : never;
}[MatomoMethod];

/**
 * `P` with the value of every parameter name the method does not know replaced by a message, so that
 * a typo is an error that names it: `Type 'number' is not assignable to type "'idSit' is not a
 * parameter of Live.getLastVisitsDetails"`. (An intersection with `never` reduced the whole object to
 * `never`, so every parameter was reported as "not assignable to type 'never'".)
 *
 * @example
 * ```ts
 * type Checked = ExactParams<{ idSit: 1 }, MatomoParams<'VisitsSummary.get'>, 'VisitsSummary.get'>;
 * // { idSit: "'idSit' is not a parameter of VisitsSummary.get" }
 * ```
 */
export type ExactParams<P, Allowed, Method extends string = 'this method'> = {
  [K in keyof P]: K extends keyof Allowed ? P[K] : `'${K & string}' is not a parameter of ${Method}`;
};
