import type { components } from '@matomo-oauth2/sdk/openapi';
import { sql } from 'kysely';
import type { AnalyticsContext, ResultOf } from './context';
import { countryName } from './country-names';
import { byVisitsThenLabel, visitMetricsRow } from './dimension-rows';
import { countryFlag, regionName, UNKNOWN_CODE, unsegmentedRow, withCountry } from './location-names';
import { phpUrlEncode } from './php-url-encode';
import { resolveReportScope, shapeResult } from './report-scope';
import { scopeSegment } from './segments';
import { queryVisitGroups } from './visit-groups';
import { byCell, cellKey, type VisitMetrics } from './visit-metrics';

type RegionRow = components['schemas']['RegionRow'];

/**
 * Matomo's archive label of a visit's region: `region|country`, or empty when the region is
 * unknown, whatever the country (plugins/UserCountry/RecordBuilders/Locations.php).
 */
const regionLabel = sql<string>`(case when coalesce(location_region, '') = '' then ''
  else location_region || '|' || location_country end)`;

/**
 * `UserCountry.getRegion`: visits per region, labelled `Region, Country`, with the segment
 * `regionCode==<region>;countryCode==<country>` and the `region`, `country`, `country_name`,
 * `region_name` and `logo` metadata (plugins/UserCountry/API.php). Visits without a region make
 * one "Unknown" row with `xx` codes and no segment, as in Matomo's system tests.
 */
export async function getRegion(context: AnalyticsContext): Promise<ResultOf<'UserCountry.getRegion'>> {
  const scope = await resolveReportScope(context);
  const segment = scopeSegment(context.params, scope);
  const cells = byCell(
    await queryVisitGroups(context.db, scope, { by: regionLabel, segment, dailyUniques: true, goals: true }),
  );
  return shapeResult(scope, ({ site }, period): RegionRow[] =>
    (cells.get(cellKey(site.idsite, period)) ?? [])
      .map((group) => regionRow(String(group.key ?? ''), group.metrics))
      .sort(byVisitsThenLabel),
  );
}

function regionRow(label: string, metrics: VisitMetrics): RegionRow {
  if (label === '') {
    return {
      ...unsegmentedRow('Unknown', metrics),
      region: UNKNOWN_CODE,
      country: UNKNOWN_CODE,
      country_name: 'Unknown',
      region_name: 'Unknown',
      logo: countryFlag(UNKNOWN_CODE),
    };
  }
  const [region = '', country = ''] = label.split('|');
  const name = regionName(country, region);
  const segment = `regionCode==${phpUrlEncode(region)};countryCode==${phpUrlEncode(country)}`;
  return {
    ...visitMetricsRow(withCountry(name, country), metrics, segment),
    region,
    country: country || UNKNOWN_CODE,
    country_name: countryName(country),
    region_name: name,
    logo: countryFlag(country),
  };
}
