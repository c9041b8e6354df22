import { sql } from 'kysely';
import type { Db } from '../db/database';
import { toNumber } from './metrics';
import { inPeriods, periodIndex } from './period-buckets';
import type { ReportScope } from './report-scope';
import type { SegmentFilter } from './segments';

/** Matomo's id of the abandoned-cart "goal": a negative conversion, left out of every total. */
const ABANDONED_CART = -1;

/** The conversions of one goal, site, period and kind of visit (new or returning). */
export interface ConversionGroup {
  idsite: number;
  /** Index into the scope's periods. */
  period: number;
  /** 1 for the conversions of returning visits. */
  returning: number;
  idgoal: number;
  nb_conversions: number;
  /** Distinct visits among the conversions. */
  nb_visits_converted: number;
  revenue: number;
}

/**
 * Conversions per site, period (of the conversion's own time, as Matomo archives them), goal and
 * visitor type, for the visits the segment keeps; one query for the whole scope.
 */
export async function queryConversions(
  db: Db,
  scope: ReportScope,
  segment: SegmentFilter,
): Promise<ConversionGroup[]> {
  if (scope.sites.length === 0) return [];
  const rows = await db
    .selectFrom('log_conversion as c')
    .innerJoin('log_visit as v', 'v.idvisit', 'c.idvisit')
    .select((eb) => [
      'c.idsite',
      periodIndex(scope.sites, 'c.idsite', 'c.server_time').as('period'),
      sql<number>`case when v.visitor_returning = 0 then 0 else 1 end`.as('returning'),
      'c.idgoal',
      eb.fn.countAll().as('nb_conversions'),
      sql<number>`count(distinct c.idvisit)`.as('nb_visits_converted'),
      eb.fn.sum('c.revenue').as('revenue'),
    ])
    .where(inPeriods(scope.sites, 'c.idsite', 'c.server_time'))
    .where(segment.visits('v'))
    .groupBy(['c.idsite', 'period', 'returning', 'c.idgoal'])
    .execute();
  return rows.map((row) => ({
    idsite: toNumber(row.idsite),
    period: toNumber(row.period),
    returning: toNumber(row.returning),
    idgoal: toNumber(row.idgoal),
    nb_conversions: toNumber(row.nb_conversions),
    nb_visits_converted: toNumber(row.nb_visits_converted),
    revenue: roundRevenue(toNumber(row.revenue)),
  }));
}

/** Every goal's conversions and revenue per site and period (Matomo's `Goal_nb_conversions`, `Goal_revenue`). */
export async function queryConversionTotals(
  db: Db,
  scope: ReportScope,
  segment: SegmentFilter,
): Promise<{ idsite: number; period: number; conversions: number; revenue: number }[]> {
  if (scope.sites.length === 0) return [];
  const rows = await db
    .selectFrom('log_conversion')
    .select((eb) => [
      'idsite',
      periodIndex(scope.sites, 'idsite', 'server_time').as('period'),
      eb.fn.countAll().as('conversions'),
      eb.fn.sum('revenue').as('revenue'),
    ])
    .where(inPeriods(scope.sites, 'idsite', 'server_time'))
    .where('idgoal', '<>', ABANDONED_CART)
    .where(segment.visitIds('idvisit'))
    .groupBy(['idsite', 'period'])
    .execute();
  return rows.map((row) => ({
    idsite: toNumber(row.idsite),
    period: toNumber(row.period),
    conversions: toNumber(row.conversions),
    revenue: roundRevenue(toNumber(row.revenue)),
  }));
}

/** Matomo rounds revenue sums to 2 decimals (`GoalManager::REVENUE_PRECISION`). */
export function roundRevenue(value: number): number {
  return Math.round(value * 100) / 100;
}

export { ABANDONED_CART };
