import { dialectOf } from '../db/dialect';
import { type DialectSql, dialectSql } from '../db/dialect-sql';
import type { AnalyticsContext } from './context';
import { boundsOf, type PeriodBounds, type PeriodSelection, selectPeriods } from './periods';
import { loadReportSites, type ReportSite } from './report-sites';
import { localDayOf } from './timezone';

/** One site of a request, with the instants of every requested period in its timezone. */
export interface SiteScope {
  site: ReportSite;
  bounds: PeriodBounds[];
}

/** The sites and periods a report covers, and how its result is keyed. */
export interface ReportScope {
  selection: PeriodSelection;
  sites: SiteScope[];
  /** Keyed by site id: several sites, or a list or `all` in the request. */
  bySite: boolean;
  /** Keyed by period label. */
  byPeriod: boolean;
  /** The SQL of the database the report reads, where it differs between databases. */
  dialect: DialectSql;
  /** The request's instant (ms): days that end after it are read from the logs, never archived. */
  now: number;
  /** Read reports from day archives where they can serve them (`AnalyticsContext.archives`). */
  archives: boolean;
}

/**
 * Reads `period` and `date` and loads the sites. "today" is the site's today for one site; for
 * several sites it is today in UTC, so that every site has the same period labels, as Matomo
 * does. Each site's periods still start and end at its own local midnights.
 */
export async function resolveReportScope(
  context: AnalyticsContext,
  period = context.params.get('period'),
  date = context.params.get('date'),
): Promise<ReportScope> {
  const sites = await loadReportSites(context.db, context.sites.ids);
  const referenceZone = sites.length === 1 && sites[0] ? sites[0].timezone : 'UTC';
  const now = context.now();
  const selection = selectPeriods(period, date, localDayOf(now, referenceZone));
  return {
    selection,
    sites: sites.map((site) => ({ site, bounds: boundsOf(selection.periods, site.timezone) })),
    bySite: context.sites.multiple || context.sites.ids.length > 1,
    byPeriod: selection.multiple,
    dialect: dialectSql(dialectOf(context.db)),
    now,
    archives: context.archives ?? true,
  };
}

/** A result shaped as Matomo shapes it: bare, keyed by period label, by site id, or both (site first). */
export type Keyed<T> = T | { [key: string]: T } | { [idSite: string]: T | { [label: string]: T } };

/** Builds the result from one value per site and period. */
export function shapeResult<T>(
  scope: ReportScope,
  valueFor: (site: SiteScope, period: number) => T,
): Keyed<T> {
  const perSite = (site: SiteScope): T | { [label: string]: T } => {
    if (!scope.byPeriod) return valueFor(site, 0);
    const byLabel: { [label: string]: T } = {};
    scope.selection.periods.forEach((period, index) => {
      byLabel[period.label] = valueFor(site, index);
    });
    return byLabel;
  };
  if (scope.bySite) {
    const bySite: { [idSite: string]: T | { [label: string]: T } } = {};
    for (const site of scope.sites) bySite[String(site.site.idsite)] = perSite(site);
    return bySite;
  }
  const only = scope.sites[0];
  if (!only) return {};
  return perSite(only);
}

/** Builds the result of a one-site method: bare, or keyed by period label. */
export function shapeOneSiteResult<T>(
  scope: ReportScope,
  valueFor: (site: SiteScope, period: number) => T,
): T | { [label: string]: T } {
  const [site] = scope.sites;
  if (!site || scope.sites.length !== 1) throw new Error('shapeOneSiteResult needs exactly one site');
  if (!scope.byPeriod) return valueFor(site, 0);
  const byLabel: { [label: string]: T } = {};
  scope.selection.periods.forEach((period, index) => {
    byLabel[period.label] = valueFor(site, index);
  });
  return byLabel;
}
