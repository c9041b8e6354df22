import type { components } from '@matomo-oauth2/sdk/openapi';
import { sql } from 'kysely';
import type { AnalyticsContext, ResultOf } from './context';
import { byVisitsThenLabel, visitMetricsRow } from './dimension-rows';
import { phpUrlEncode } from './php-url-encode';
import { resolveReportScope, shapeResult } from './report-scope';
import { scopeSegment } from './segments';
import { queryVisitGroups } from './visit-groups';
import { byCell, cellKey } from './visit-metrics';

type ResolutionRow = components['schemas']['ResolutionRow'];

/**
 * `Resolution.getResolution`: visits per screen resolution, labelled as stored (`1920x1080`,
 * `unknown`), each with its segment `resolution==<label>` (plugins/Resolution/API.php,
 * `AddSegmentValue`).
 */
export async function getResolution(
  context: AnalyticsContext,
): Promise<ResultOf<'Resolution.getResolution'>> {
  const scope = await resolveReportScope(context);
  const segment = scopeSegment(context.params, scope);
  const by = sql<string>`config_resolution`;
  const cells = byCell(await queryVisitGroups(context.db, scope, { by, segment, dailyUniques: true }));
  return shapeResult(scope, ({ site }, period): ResolutionRow[] =>
    (cells.get(cellKey(site.idsite, period)) ?? [])
      .map((group) => {
        const label = String(group.key ?? 'unknown');
        return visitMetricsRow(label, group.metrics, `resolution==${phpUrlEncode(label)}`);
      })
      .sort(byVisitsThenLabel),
  );
}
