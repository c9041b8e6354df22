import type { components } from '@matomo-oauth2/sdk/openapi';
import { sql } from 'kysely';
import type { AnalyticsContext, ResultOf } from './context';
import { visitMetricsRow } from './dimension-rows';
import { resolveReportScope, shapeResult } from './report-scope';
import { scopeSegment } from './segments';
import { queryVisitGroups } from './visit-groups';
import { byCell, cellKey, emptyVisitMetrics, uniquesMark } from './visit-metrics';

type LocalTimeRow = components['schemas']['LocalTimeRow'];

/**
 * `VisitTime.getVisitInformationPerLocalTime`: visits per hour of the visitor's own clock at the
 * first action (`visitor_localtime`), one row per hour `00` to `23` (0 included) once the period
 * has a visit, `[]` otherwise; each row's segment is `visitLocalHour==<hour>` (plugins/VisitTime/
 * API.php, `AddSegmentValue`; tests/PHPUnit/System/expected/*getVisitInformationPerLocalTime*).
 * Visits without a local time (logged before the column existed) count in no hour.
 */
export async function getVisitInformationPerLocalTime(
  context: AnalyticsContext,
): Promise<ResultOf<'VisitTime.getVisitInformationPerLocalTime'>> {
  const scope = await resolveReportScope(context);
  const segment = scopeSegment(context.params, scope);
  const hour = sql<number | null>`cast(substr(visitor_localtime, 1, 2) as integer)`;
  const where = sql<boolean>`visitor_localtime is not null`;
  const groups = await queryVisitGroups(context.db, scope, { by: hour, segment, where, dailyUniques: true });
  const mark = uniquesMark(scope, true);
  const cells = byCell(groups);
  return shapeResult(scope, ({ site }, period): LocalTimeRow[] => {
    const inCell = cells.get(cellKey(site.idsite, period)) ?? [];
    if (inCell.length === 0) return [];
    const byHour = new Map(
      inCell.map((group) => [group.key === null ? null : Number(group.key), group.metrics]),
    );
    return Array.from({ length: 24 }, (_, hour): LocalTimeRow => {
      const metrics = byHour.get(hour) ?? emptyVisitMetrics(mark);
      return visitMetricsRow(String(hour).padStart(2, '0'), metrics, `visitLocalHour==${hour}`);
    });
  });
}
