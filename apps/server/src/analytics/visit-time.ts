import type { components } from '@matomo-oauth2/sdk/openapi';
import { sql } from 'kysely';
import { DAY_MS } from './calendar';
import type { AnalyticsContext, ResultOf } from './context';
import { visitMetricsRow } from './dimension-rows';
import { resolveReportScope, shapeResult } from './report-scope';
import { addGoalMetrics, queryRowGoalMetrics } from './row-goal-metrics';
import { scopeSegment } from './segments';
import { offsetAt, startOfLocalDay, wallClock } from './timezone';
import { queryVisitGroups, type VisitGroup } from './visit-groups';
import { addVisitMetrics, byCell, cellKey, emptyVisitMetrics, uniquesMark } from './visit-metrics';

type ServerTimeRow = components['schemas']['ServerTimeRow'];

const HOUR_MS = 3_600_000;

/**
 * `VisitTime.getVisitInformationPerServerTime`: visits per hour of their first action, one row
 * per hour `00` to `23` (0 included) once the period has a visit, `[]` otherwise.
 *
 * Matomo (plugins/VisitTime/RecordBuilders/ServerTime.php) groups by the UTC hour, then moves
 * each hour into the site's timezone with the offset of the period's first day; each row's
 * segment names the UTC hour again, with the offset of the period's last day
 * (`AddSegmentByLabelInUTC`). Conversions are added to the hour of their own time
 * (`HOUR(log_conversion.server_time)`, moved the same way), not their visit's.
 */
export async function getVisitInformationPerServerTime(
  context: AnalyticsContext,
): Promise<ResultOf<'VisitTime.getVisitInformationPerServerTime'>> {
  const scope = await resolveReportScope(context);
  const segment = scopeSegment(context.params, scope);
  const utcHour = sql<number>`(visit_first_action_time / ${sql.lit(HOUR_MS)}) % 24`;
  const conversionHour = sql<number>`(server_time / ${sql.lit(HOUR_MS)}) % 24`;
  const [visitGroups, conversions] = await Promise.all([
    queryVisitGroups(context.db, scope, { by: utcHour, segment, dailyUniques: true }),
    queryRowGoalMetrics(context.db, scope, { byConversion: conversionHour, segment }),
  ]);
  const cells = byCell(visitGroups);
  const conversionCells = byCell(conversions);
  const mark = uniquesMark(scope, true);
  return shapeResult(scope, ({ site, bounds }, period): ServerTimeRow[] => {
    const groups = cells.get(cellKey(site.idsite, period)) ?? [];
    const days = scope.selection.periods[period];
    const start = bounds[period]?.start;
    if (groups.length === 0 || !days || start === undefined) return [];
    // Matomo's date of the period start: the UTC day holding the site's local midnight.
    const startDay = Math.floor(start / DAY_MS) * DAY_MS;
    const byLocalHour = new Map<number, VisitGroup['metrics']>();
    const hourOf = (utc: unknown): number => {
      const instant = startDay + Number(utc) * HOUR_MS;
      return localHour(instant + offsetAt(instant, site.timezone));
    };
    for (const group of groups) {
      const hour = hourOf(group.key);
      byLocalHour.set(hour, addVisitMetrics(byLocalHour.get(hour) ?? emptyVisitMetrics(mark), group.metrics));
    }
    for (const group of conversionCells.get(cellKey(site.idsite, period)) ?? []) {
      const hour = hourOf(group.key);
      const metrics = byLocalHour.get(hour) ?? emptyVisitMetrics(mark);
      byLocalHour.set(hour, { ...metrics, goals: addGoalMetrics(metrics.goals, group.goals) });
    }
    const lastMidnight = startOfLocalDay(days.last, site.timezone);
    return Array.from({ length: 24 }, (_, hour): ServerTimeRow => {
      const metrics = byLocalHour.get(hour) ?? emptyVisitMetrics(mark);
      const segment = `visitStartServerHour==${utcHourOf(lastMidnight, hour, site.timezone)}`;
      return visitMetricsRow(String(hour).padStart(2, '0'), metrics, segment);
    });
  });
}

function localHour(wallClock: number): number {
  return Math.floor((((wallClock % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
}

/**
 * The UTC hour of `hour` o'clock on the local day that starts at `midnight`, as PHP reads a local
 * time: an hour that occurs twice is its first occurrence, one skipped by DST moves forward.
 */
function utcHourOf(midnight: number, hour: number, timezone: string): number {
  const before = offsetAt(midnight, timezone);
  const wall = midnight + before + hour * HOUR_MS;
  const offsets = new Set([offsetAt(wall - DAY_MS, timezone), before, offsetAt(wall + DAY_MS, timezone)]);
  const exact = [...offsets]
    .map((offset) => wall - offset)
    .filter((utc) => wallClock(utc, timezone) === wall);
  return localHour(exact.length > 0 ? Math.min(...exact) : wall - before);
}
