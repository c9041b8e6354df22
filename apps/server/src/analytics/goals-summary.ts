import type { components } from '@matomo-oauth2/sdk/openapi';
import { sql } from 'kysely';
import type { AnalyticsContext, ResultOf } from './context';
import { ABANDONED_CART, type ConversionGroup, queryConversions, roundRevenue } from './goal-conversions';
import { loadActiveGoals } from './goals';
import { type MetricsFormat, readMetricsFormat } from './metric-format';
import { quotient } from './metrics';
import { resolveReportScope, shapeResult } from './report-scope';
import { scopeSegment } from './segments';
import { queryVisitGroups } from './visit-groups';
import { byCell, cellKey } from './visit-metrics';

type GoalsSummary = components['schemas']['GoalsSummary'];

/** Matomo's three passes (`Goals\API::get`): every visit, new visits, returning visits. */
const PARTS = [
  { suffix: '', returning: [0, 1] },
  { suffix: '_new_visit', returning: [0] },
  { suffix: '_returning_visit', returning: [1] },
] as const;

interface Counts {
  nb_visits: number;
  /** Visits that converted any goal (`log_visit.visit_goal_converted`). */
  nb_visits_converted: number;
}

interface GoalSelection {
  /** The goal asked for, or undefined for every goal. */
  idGoal: number | undefined;
  /** The goals whose own columns `showAllGoalSpecificMetrics` adds. */
  specific: readonly number[];
  /** The metric names `columns` keeps; empty for all. */
  columns: readonly string[];
}

/**
 * `Goals.get`: conversions, converted visits, revenue and conversion rate of every goal (or of
 * `idGoal`), for all visits then for new and for returning ones, each a Matomo `Goals.getMetrics`
 * pass whose columns get the part's suffix. As Matomo's archives: conversions count in the
 * period of their own time, every goal's converted visits are VisitsSummary's
 * `nb_visits_converted`, a goal's are its distinct visits, and the rate is over all the part's
 * visits. One bare record has every column (0 without visits); in a keyed result a part without
 * visits adds no columns, and a period without any visit is `[]`.
 */
export async function getGoalsSummary(context: AnalyticsContext): Promise<ResultOf<'Goals.get'>> {
  const scope = await resolveReportScope(context);
  const segment = scopeSegment(context.params, scope);
  const selection = await readGoalSelection(context);
  const returning = sql<number>`case when visitor_returning = 0 then 0 else 1 end`;
  const visits = byCell(
    await queryVisitGroups(context.db, scope, { by: returning, segment, uniques: false }),
  );
  const conversions = byCell(await queryConversions(context.db, scope, segment));
  const format = readMetricsFormat(context.params);
  const bare = !scope.bySite && !scope.byPeriod;
  return shapeResult(scope, ({ site }, period): GoalsSummary | [] => {
    const cell = cellKey(site.idsite, period);
    const groups = visits.get(cell) ?? [];
    const converted = conversions.get(cell) ?? [];
    const record: GoalsSummary = {};
    for (const part of PARTS) {
      const inPart = groups.filter((group) =>
        (part.returning as readonly number[]).includes(Number(group.key)),
      );
      if (inPart.length === 0 && !bare) continue;
      const counts: Counts = {
        nb_visits: sum(inPart.map((group) => group.metrics.nb_visits)),
        nb_visits_converted: sum(inPart.map((group) => group.metrics.nb_visits_converted)),
      };
      const partConversions = converted.filter((group) =>
        (part.returning as readonly number[]).includes(group.returning),
      );
      const columns = partColumns(counts, partConversions, selection, format);
      for (const [name, value] of Object.entries(columns)) record[`${name}${part.suffix}`] = value;
    }
    return Object.keys(record).length === 0 && !bare ? [] : record;
  });
}

/** One pass's columns, in Matomo's order, with `columns` applied. */
function partColumns(
  counts: Counts,
  conversions: readonly ConversionGroup[],
  selection: GoalSelection,
  format: MetricsFormat,
): { [name: string]: number | string } {
  const columns: { [name: string]: number | string } = {};
  const ofGoal = (idgoal: number) => totals(conversions.filter((group) => group.idgoal === idgoal));
  if (selection.specific.length > 0) columns.nb_visits = counts.nb_visits;
  let convertedVisits = counts.nb_visits_converted;
  if (selection.idGoal === undefined) {
    const all = totals(conversions.filter((group) => group.idgoal !== ABANDONED_CART));
    columns.nb_conversions = all.nb_conversions;
    columns.nb_visits_converted = convertedVisits;
    columns.revenue = all.revenue;
  } else {
    const goal = ofGoal(selection.idGoal);
    convertedVisits = goal.nb_visits_converted;
    columns.nb_conversions = goal.nb_conversions;
    columns.nb_visits_converted = convertedVisits;
    columns.revenue = goal.revenue;
  }
  for (const idgoal of selection.specific) {
    const goal = ofGoal(idgoal);
    columns[`goal_${idgoal}_nb_conversions`] = goal.nb_conversions;
    columns[`goal_${idgoal}_nb_visits_converted`] = goal.nb_visits_converted;
    columns[`goal_${idgoal}_revenue`] = goal.revenue;
  }
  for (const idgoal of selection.specific) {
    columns[`goal_${idgoal}_conversion_rate`] = conversionRate(
      ofGoal(idgoal).nb_visits_converted,
      counts.nb_visits,
      format,
    );
  }
  columns.conversion_rate = conversionRate(convertedVisits, counts.nb_visits, format);
  if (selection.columns.length === 0) return columns;
  return Object.fromEntries(Object.entries(columns).filter(([name]) => selection.columns.includes(name)));
}

function totals(groups: readonly ConversionGroup[]) {
  return {
    nb_conversions: sum(groups.map((group) => group.nb_conversions)),
    nb_visits_converted: sum(groups.map((group) => group.nb_visits_converted)),
    revenue: roundRevenue(sum(groups.map((group) => group.revenue))),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/**
 * Matomo's `ConversionRate`: converted visits over visits, a quotient rounded to 4 places,
 * written as a percentage with up to 2 decimals (`"66.67%"`), raw with `format_metrics=0`.
 */
export function conversionRate(converted: number, visits: number, format: MetricsFormat): string | number {
  const rate = quotient(converted, visits, 4);
  if (format === 'raw') return rate;
  return `${(Math.round(rate * 10_000) / 100).toLocaleString('en-US', { maximumFractionDigits: 4 })}%`;
}

/**
 * `idGoal` (absent or empty: every goal; an id the site lacks converts nothing, as Matomo reads
 * archives that do not exist), `showAllGoalSpecificMetrics` (only without `idGoal`) and
 * `columns` (Matomo's comma-separated list).
 */
async function readGoalSelection(context: AnalyticsContext): Promise<GoalSelection> {
  const raw = context.params.get('idGoal');
  const idGoal = raw === undefined || raw.trim() === '' ? undefined : goalNumber(raw);
  const showAll = phpBool(context.params.get('showAllGoalSpecificMetrics')) && idGoal === undefined;
  const specific = showAll
    ? [...new Set((await loadActiveGoals(context.db, context.sites.ids)).map((goal) => goal.idgoal))]
    : [];
  const columns = (context.params.get('columns') ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return { idGoal, specific, columns };
}

/** Matomo's names for its ecommerce "goals", else the id as PHP reads a number (NaN matches none). */
function goalNumber(raw: string): number {
  if (raw === 'ecommerceOrder') return 0;
  if (raw === 'ecommerceAbandonedCart') return ABANDONED_CART;
  return Number(raw.trim());
}

/** A boolean parameter as Matomo's API proxy reads one: `0`, `false` and empty are false. */
function phpBool(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}
