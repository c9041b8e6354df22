import { sql } from 'kysely';
import type { AnalyticsContext } from './context';
import { queryConversionTotals } from './goal-conversions';
import { toNumber } from './metrics';
import { inPeriods, periodIndex } from './period-buckets';
import { boundsOf, type PeriodDays, type PeriodName, periodContaining } from './periods';
import type { ReportScope } from './report-scope';
import { scopeSegment } from './segments';
import { byCell, cellKey, queryVisitMetrics } from './visit-metrics';

/** The numbers MultiSites reports per site and period (Matomo's record names in comments). */
export interface SiteTotals {
  nb_visits: number;
  nb_actions: number;
  /** `Actions_nb_pageviews`. */
  nb_pageviews: number;
  /** `Goal_revenue`: the revenue of every goal's conversions (orders included, abandoned carts not). */
  revenue: number;
  /** `Goal_nb_conversions`: every goal's conversions. */
  nb_conversions: number;
  /** `Goal_0_nb_conversions`: ecommerce orders (none recorded here, so 0). */
  orders: number;
  /** `Goal_0_revenue`: their revenue. */
  ecommerce_revenue: number;
}

/** Per site and requested period: its totals, and those of the period before when evolutions apply. */
export interface MultiSitesData {
  totals: (idsite: number, period: number) => SiteTotals;
  /** Undefined when Matomo computes no evolution (a `lastN`/`previousN` date). */
  previous: ((idsite: number, period: number) => SiteTotals) | undefined;
  /** The period before each requested one, when evolutions apply. */
  previousPeriods: PeriodDays[] | undefined;
}

const NOTHING: SiteTotals = {
  nb_visits: 0,
  nb_actions: 0,
  nb_pageviews: 0,
  revenue: 0,
  nb_conversions: 0,
  orders: 0,
  ecommerce_revenue: 0,
};

/**
 * Matomo's `Range::getLastDate`: no past data for a date naming `last` or `previous` (it tests
 * `/(last|previous)([0-9]*)/`, so `lastWeek` too); otherwise each period's predecessor, a range
 * being followed by the range of as many days just before it.
 */
export function hasEvolution(period: PeriodName, date: string | undefined): boolean {
  return period === 'range' || !/(last|previous)/.test(date ?? '');
}

function periodBefore(period: PeriodName, days: PeriodDays): PeriodDays {
  if (period === 'range') {
    const last = days.first - 1;
    const first = last - (days.last - days.first);
    return { label: 'previous', first, last };
  }
  return periodContaining(period, days.first - 1);
}

/**
 * One query for visits and one for page views, over the requested periods preceded by the
 * period before the first: the requested periods are consecutive, so the predecessor of
 * period i is then index i, and period i itself index i + 1.
 */
export async function loadMultiSitesData(
  context: AnalyticsContext,
  scope: ReportScope,
): Promise<MultiSitesData> {
  const { period, periods } = scope.selection;
  const evolution = hasEvolution(period, context.params.get('date'));
  const first = periods[0];
  const extended: PeriodDays[] = evolution && first ? [periodBefore(period, first), ...periods] : periods;
  const shift = extended.length - periods.length;
  const wide: ReportScope = {
    ...scope,
    selection: { ...scope.selection, periods: extended },
    sites: scope.sites.map(({ site }) => ({ site, bounds: boundsOf(extended, site.timezone) })),
  };
  const segment = scopeSegment(context.params, wide);
  const visits = byCell(await queryVisitMetrics(context.db, wide, { segment }));
  const pageviews = new Map<string, number>();
  if (wide.sites.length > 0) {
    const rows = await context.db
      .selectFrom('log_link_visit_action')
      .select(['idsite'])
      .select(periodIndex(wide.sites, 'idsite', 'server_time').as('period'))
      .select(sql<number>`count(*)`.as('hits'))
      .where('action_type', '=', 'action')
      .where(inPeriods(wide.sites, 'idsite', 'server_time'))
      .where(segment.visitIds('idvisit'))
      .groupBy(['idsite', 'period'])
      .execute();
    for (const row of rows) {
      pageviews.set(cellKey(toNumber(row.idsite), toNumber(row.period)), toNumber(row.hits));
    }
  }
  const conversions = byCell(await queryConversionTotals(context.db, wide, segment));
  const at = (idsite: number, index: number): SiteTotals => {
    const key = cellKey(idsite, index);
    const metrics = visits.get(key)?.[0]?.metrics;
    const hits = pageviews.get(key) ?? 0;
    const converted = conversions.get(key)?.[0];
    if (!metrics && hits === 0 && !converted) return NOTHING;
    return {
      nb_visits: metrics?.nb_visits ?? 0,
      nb_actions: metrics?.nb_actions ?? 0,
      nb_pageviews: hits,
      revenue: converted?.revenue ?? 0,
      nb_conversions: converted?.conversions ?? 0,
      orders: 0,
      ecommerce_revenue: 0,
    };
  };
  return {
    totals: (idsite, index) => at(idsite, index + shift),
    previous: evolution ? (idsite, index) => at(idsite, index) : undefined,
    previousPeriods: evolution ? extended.slice(0, periods.length) : undefined,
  };
}
