import type { components } from '@matomo-oauth2/sdk/openapi';
import type { AnalyticsContext, ResultOf } from './context';
import { byVisitsThenLabel, visitMetricsRow } from './dimension-rows';
import { resolveReportScope, shapeResult } from './report-scope';
import { readRowWindow, windowRows } from './request-params';
import { byCell, cellKey, queryVisitMetrics } from './visit-metrics';

type CountryRow = components['schemas']['CountryRow'];

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** A country's English name (`de` → Germany); `xx` and codes the runtime does not know are "Unknown". */
export function countryName(code: string): string {
  if (!/^[a-z]{2}$/.test(code) || code === 'xx') return 'Unknown';
  const name = regionNames.of(code.toUpperCase());
  return name === undefined || name === code.toUpperCase() ? 'Unknown' : name;
}

/** `UserCountry.getCountry`: visits per country, labelled in English, with the lower-case ISO code. */
export async function getCountry(context: AnalyticsContext): Promise<ResultOf<'UserCountry.getCountry'>> {
  const window = readRowWindow(context.params);
  const scope = await resolveReportScope(context);
  const cells = byCell(await queryVisitMetrics(context.db, scope, { by: 'location_country' }));
  return shapeResult(scope, ({ site }, period): CountryRow[] => {
    const rows = (cells.get(cellKey(site.idsite, period)) ?? []).map((group): CountryRow => {
      const code = group.key ?? 'xx';
      return { ...visitMetricsRow(countryName(code), group.metrics, `countryCode==${code}`), code };
    });
    return windowRows(rows.sort(byVisitsThenLabel), window);
  });
}
