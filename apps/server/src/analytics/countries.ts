import type { components } from '@matomo-oauth2/sdk/openapi';
import type { AnalyticsContext, ResultOf } from './context';
import { countryName } from './country-names';
import { byVisitsThenLabel, visitMetricsRow } from './dimension-rows';
import { countryFlag } from './location-names';
import { resolveReportScope, shapeResult } from './report-scope';
import { readRowWindow, windowRows } from './request-params';
import { scopeSegment } from './segments';
import { byCell, cellKey, queryVisitMetrics } from './visit-metrics';

type CountryRow = components['schemas']['CountryRow'];

/** `UserCountry.getCountry`: visits per country, labelled in English, with the lower-case ISO code and the flag. */
export async function getCountry(context: AnalyticsContext): Promise<ResultOf<'UserCountry.getCountry'>> {
  const window = readRowWindow(context.params);
  const scope = await resolveReportScope(context);
  const segment = scopeSegment(context.params, scope);
  const cells = byCell(
    await queryVisitMetrics(context.db, scope, {
      by: 'location_country',
      segment,
      dailyUniques: true,
      goals: true,
    }),
  );
  return shapeResult(scope, ({ site }, period): CountryRow[] => {
    const rows = (cells.get(cellKey(site.idsite, period)) ?? []).map((group): CountryRow => {
      const code = group.key ?? 'xx';
      const { segment, ...metrics } = visitMetricsRow(
        countryName(code),
        group.metrics,
        `countryCode==${code}`,
      );
      // Matomo's order: the metrics, then `code` and `logo`, the segment, and the flag's height.
      return { ...metrics, code, logo: countryFlag(code), segment, logoHeight: 16 };
    });
    return windowRows(rows.sort(byVisitsThenLabel), window);
  });
}
