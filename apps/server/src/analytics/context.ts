import type { components, operations } from '@matomo-oauth2/sdk/openapi';
import type { Db } from '../db/database';
import type { Params } from '../http/params';
import type { ApiCaller } from '../users/api-caller';
import type { TableKind } from './generic-filters/generic-filters';

/** The sites a request may read, already access-checked by the caller. */
export interface SiteSelection {
  /** Ascending, without duplicates. */
  ids: number[];
  /** The request named a list or `all` (even if it resolved to one id): results are keyed by site. */
  multiple: boolean;
}

export interface AnalyticsContext {
  db: Db;
  /** Milliseconds since the epoch; injected so that tests and the demo agree on "today". */
  now: () => number;
  sites: SiteSelection;
  /** The request's parameters; each method reads its own (`period`, `date`, `filter_limit`, …). */
  params: Params;
  /** Who calls, as far as the reports need to know: annotations are theirs, or on sites they administer. */
  caller: Pick<ApiCaller, 'login' | 'accessOf'>;
  /**
   * Read reports from day archives where they can serve them (the default); `false` computes
   * every report from the logs, as the tests that compare both do.
   */
  archives?: boolean;
}

/** The Matomo modules whose methods the analytics engine serves. */
type AnalyticsModule =
  | 'VisitsSummary'
  | 'Actions'
  | 'Referrers'
  | 'UserCountry'
  | 'UserLanguage'
  | 'DevicesDetection'
  | 'Resolution'
  | 'VisitTime'
  | 'VisitFrequency'
  | 'Goals'
  | 'VisitorInterest'
  | 'Live'
  | 'Events'
  | 'Annotations'
  | 'MultiSites';

/** Every method of those modules in the contract (its POST operations; `.query` are their GET twins). */
export type AnalyticsMethodName = Exclude<
  Extract<keyof operations, `${AnalyticsModule}.${string}`>,
  `${string}.query`
>;

type Schemas = components['schemas'];

/** The contract's 200 body of a method, without the Matomo error it may carry instead. */
export type ResultOf<M extends AnalyticsMethodName> = Exclude<
  operations[M]['responses'][200]['content']['application/json'],
  Schemas['MatomoError']
>;

export type AnalyticsMethod<M extends AnalyticsMethodName> = (
  context: AnalyticsContext,
) => Promise<ResultOf<M>>;

/** A method of the engine: the access it needs on each site it reads, and its work. */
export interface AnalyticsMethodEntry<M extends AnalyticsMethodName> {
  /** The level needed on every site named (`x-matomo-access` in openapi.yaml). */
  access: 'view' | 'write';
  /** The token's scope needed, where it is above `access` (`x-matomo-scope`): a read token never writes. */
  scope?: 'write';
  /** `idSite` must name exactly one site. */
  oneSite: boolean;
  /** The method takes no `idSite` and reads every site the caller has `access` to (`idSite=all`). */
  allSites?: true;
  /** The result is a table (or a map of tables): the generic filters apply to it, this way. */
  table?: TableKind;
  run: AnalyticsMethod<M>;
}
