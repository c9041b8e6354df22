import type { components } from '@matomo-oauth2/sdk/openapi';
import { countryName } from './country-names';
import { REGION_NAMES } from './demo-data/places';
import { visitMetricsRow } from './dimension-rows';
import type { VisitMetrics } from './visit-metrics';

type VisitMetricsRow = components['schemas']['VisitMetricsRow'];

/** Matomo's code for an unknown country, region or city (`Visit::UNKNOWN_CODE`). */
export const UNKNOWN_CODE = 'xx';

/**
 * A region's English name from its country and ISO 3166-2 code (`getRegionNameFromCodes`, case
 * insensitive as Matomo upper-cases both); "Unknown" for a code Matomo has no name for.
 */
export function regionName(country: string, region: string): string {
  const regions = REGION_NAMES[country.toLowerCase()];
  const name =
    regions && Object.hasOwn(regions, region.toUpperCase()) ? regions[region.toUpperCase()] : undefined;
  return name ?? 'Unknown';
}

/** `getFlagFromCode`: the country's flag in Matomo, or the unknown flag where Matomo has none. */
export function countryFlag(country: string): string {
  const code = countryName(country) === 'Unknown' ? UNKNOWN_CODE : country;
  return `plugins/Morpheus/icons/dist/flags/${code}.png`;
}

/** `getPrettyRegionName`-style suffix: ", Country" unless the country is unknown. */
export function withCountry(name: string, country: string): string {
  return country === UNKNOWN_CODE || country === '' ? name : `${name}, ${countryName(country)}`;
}

/** The visit metrics of a location row that Matomo sends without a segment (its "Unknown" row). */
export function unsegmentedRow(label: string, metrics: VisitMetrics): VisitMetricsRow {
  const { segment: _unsegmented, ...row } = visitMetricsRow(label, metrics, '');
  return row;
}
