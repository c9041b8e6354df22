import type { components } from '@matomo-oauth2/sdk/openapi';
import { sql } from 'kysely';
import { type CityCoordinates, queryCityCoordinates } from './city-coordinates';
import type { AnalyticsContext, ResultOf } from './context';
import { countryName } from './country-names';
import { byVisitsThenLabel, visitMetricsRow } from './dimension-rows';
import { countryFlag, regionName, UNKNOWN_CODE, unsegmentedRow, withCountry } from './location-names';
import { phpUrlEncode } from './php-url-encode';
import { resolveReportScope, shapeResult } from './report-scope';
import { scopeSegment } from './segments';
import { queryVisitGroups } from './visit-groups';
import { byCell, cellKey, type VisitMetrics } from './visit-metrics';

type CityRow = components['schemas']['CityRow'];

/**
 * Matomo's archive label of a visit's city: `city|region|country`, or empty when the city is
 * unknown (plugins/UserCountry/RecordBuilders/Locations.php).
 */
const cityLabel = sql<string>`(case when coalesce(location_city, '') = '' then ''
  else location_city || '|' || coalesce(location_region, '') || '|' || location_country end)`;

/**
 * `UserCountry.getCity`: visits per city, labelled `City, Region, Country`, with the segment
 * `city==<city>;regionCode==<region>;countryCode==<country>` and the `city_name`, `region`,
 * `country`, `country_name`, `region_name` and `logo` metadata (plugins/UserCountry/API.php).
 * Visits without a city make one "Unknown" row (`city` `xx`, no segment). A city whose visits
 * have coordinates carries `lat` and `long` before its segment, as in Matomo's output.
 */
export async function getCity(context: AnalyticsContext): Promise<ResultOf<'UserCountry.getCity'>> {
  const scope = await resolveReportScope(context);
  const segment = scopeSegment(context.params, scope);
  const [groups, coordinates] = await Promise.all([
    queryVisitGroups(context.db, scope, { by: cityLabel, segment, dailyUniques: true, goals: true }),
    queryCityCoordinates(context.db, scope, cityLabel, segment),
  ]);
  const cells = byCell(groups);
  return shapeResult(scope, ({ site }, period): CityRow[] =>
    (cells.get(cellKey(site.idsite, period)) ?? [])
      .map((group) => {
        const label = String(group.key ?? '');
        return cityRow(label, group.metrics, coordinates.get(`${cellKey(site.idsite, period)}|${label}`));
      })
      .sort(byVisitsThenLabel),
  );
}

function cityRow(label: string, metrics: VisitMetrics, coordinates: CityCoordinates | undefined): CityRow {
  if (label === '') {
    return {
      ...unsegmentedRow('Unknown', metrics),
      city_name: 'Unknown',
      city: UNKNOWN_CODE,
      region: UNKNOWN_CODE,
      country: UNKNOWN_CODE,
      country_name: 'Unknown',
      region_name: 'Unknown',
      logo: countryFlag(UNKNOWN_CODE),
    };
  }
  const [city = '', region = '', country = ''] = label.split('|');
  const segment = [
    `city==${phpUrlEncode(city)}`,
    `regionCode==${phpUrlEncode(region)}`,
    `countryCode==${phpUrlEncode(country)}`,
  ].join(';');
  const { segment: _segment, ...row } = visitMetricsRow(
    prettyCityName(city, region, country),
    metrics,
    segment,
  );
  return {
    ...row,
    ...coordinates,
    segment,
    city_name: city,
    region: region || UNKNOWN_CODE,
    country: country || UNKNOWN_CODE,
    country_name: countryName(country),
    region_name: regionName(country, region || UNKNOWN_CODE),
    logo: countryFlag(country),
  };
}

/** `getPrettyCityName`: the region is named only where both it and the country are known. */
function prettyCityName(city: string, region: string, country: string): string {
  const known = (code: string) => code !== '' && code !== UNKNOWN_CODE;
  const inRegion = known(country) && known(region) ? `${city}, ${regionName(country, region)}` : city;
  return withCountry(inRegion, country);
}
