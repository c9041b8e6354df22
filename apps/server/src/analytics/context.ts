import type { components, operations } from '@matomo-oauth2/sdk/openapi';
import type { Db } from '../db/database';
import type { Params } from '../http/params';

/** The sites a request may read, already access-checked by the caller. */
export interface SiteSelection {
  /** Ascending, without duplicates. */
  ids: number[];
  /** The request named a list or `all` (even if it resolved to one id): results are keyed by site. */
  multiple: boolean;
}

/** Who is calling. Super users are administrators of every site. */
export interface Caller {
  login: string;
  isAdminOf(idSite: number): boolean;
}

export interface AnalyticsContext {
  db: Db;
  /** Milliseconds since the epoch; injected so that tests and the demo agree on "today". */
  now: () => number;
  sites: SiteSelection;
  /** The request's parameters; each method reads its own (`period`, `date`, `filter_limit`, …). */
  params: Params;
  caller: Caller;
}

export type AnalyticsMethodName =
  | 'VisitsSummary.get'
  | 'VisitsSummary.getVisits'
  | 'Actions.get'
  | 'Actions.getPageUrls'
  | 'Referrers.getReferrerType'
  | 'UserCountry.getCountry'
  | 'DevicesDetection.getType'
  | 'Live.getLastVisitsDetails'
  | 'Live.getCounters'
  | 'Annotations.getAll'
  | 'Annotations.add'
  | 'Annotations.delete';

type Schemas = components['schemas'];

/** The contract's 200 body of a method, without the Matomo error it may carry instead. */
export type ResultOf<M extends AnalyticsMethodName> = Exclude<
  operations[M]['responses'][200]['content']['application/json'],
  Schemas['MatomoError']
>;

export type AnalyticsMethod<M extends AnalyticsMethodName> = (
  context: AnalyticsContext,
) => Promise<ResultOf<M>>;
