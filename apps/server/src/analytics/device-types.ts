import type { components } from '@matomo-oauth2/sdk/openapi';
import type { DeviceType } from '../db/analytics.schema';
import type { AnalyticsContext, ResultOf } from './context';
import { visitMetricsRow } from './dimension-rows';
import { naturalCompare } from './generic-filters/natural-compare';
import { resolveReportScope, shapeResult } from './report-scope';
import { readRowWindow, windowRows } from './request-params';
import { scopeSegment } from './segments';
import { byCell, cellKey, queryVisitMetrics } from './visit-metrics';

type DeviceTypeRow = components['schemas']['DeviceTypeRow'];
type DeviceTypeLabel = components['schemas']['DeviceTypeLabel'];

/**
 * Every device type DeviceDetector knows (`AbstractDeviceParser::getAvailableDeviceTypes`), by
 * its name (the `deviceType` segment value) with Matomo's English label (`getDeviceTypeLabel`).
 */
const DEVICE_TYPES: readonly { name: string; label: DeviceTypeLabel }[] = [
  { name: 'desktop', label: 'Desktop' },
  { name: 'smartphone', label: 'Smartphone' },
  { name: 'tablet', label: 'Tablet' },
  { name: 'feature phone', label: 'Feature phone' },
  { name: 'console', label: 'Console' },
  { name: 'tv', label: 'Tv' },
  { name: 'car browser', label: 'Car browser' },
  { name: 'smart display', label: 'Smart display' },
  { name: 'camera', label: 'Camera' },
  { name: 'portable media player', label: 'Portable media player' },
  { name: 'phablet', label: 'Phablet' },
  { name: 'smart speaker', label: 'Smart speaker' },
  { name: 'wearable', label: 'Wearable' },
  { name: 'peripheral', label: 'Peripheral' },
];

/** The type of a stored visit; `Unknown` (or anything else) is no type at all. */
function typeOf(stored: DeviceType | string | null): (typeof DEVICE_TYPES)[number] | undefined {
  const name = stored?.toLowerCase();
  return DEVICE_TYPES.find((type) => type.name === name);
}

/** Matomo's segment (`AddSegmentByLabelMapping`, the name `urlencode`d) and logo (`getDeviceTypeLogo`). */
function segmentOf(name: string): string {
  return `deviceType==${name.replaceAll(' ', '+')}`;
}

function logoOf(name: string): string {
  return `plugins/Morpheus/icons/dist/devices/${name.replaceAll(' ', '_')}.png`;
}

const UNKNOWN_LOGO = logoOf('unknown');

/**
 * Matomo's order: visits descending, then the label in natural order (Matomo's Sort filter,
 * whose text comparison skips spaces: `Smart display`, `Smartphone`, `Smart speaker`).
 */
function byVisitsThenNaturalLabel(a: DeviceTypeRow, b: DeviceTypeRow): number {
  return b.nb_visits - a.nb_visits || naturalCompare(a.label, b.label);
}

/**
 * `DevicesDetection.getType`: visits per device type. As Matomo's `ensureDefaultRowsInTable`,
 * a single table (one site, one period) with visits also lists every other device type at zero
 * visits, with only `nb_visits`, its segment and its logo; a map of periods or sites has no zero
 * rows, nor has a table without visits. Visits of no known type are `Unknown`, without segment.
 */
export async function getDeviceType(
  context: AnalyticsContext,
): Promise<ResultOf<'DevicesDetection.getType'>> {
  const window = readRowWindow(context.params);
  const scope = await resolveReportScope(context);
  const segment = scopeSegment(context.params, scope);
  const cells = byCell(
    await queryVisitMetrics(context.db, scope, {
      by: 'device_type',
      segment,
      dailyUniques: true,
      goals: true,
    }),
  );
  const singleTable = !scope.bySite && !scope.byPeriod;
  return shapeResult(scope, ({ site }, period): DeviceTypeRow[] => {
    const rows = (cells.get(cellKey(site.idsite, period)) ?? []).map((group): DeviceTypeRow => {
      const type = typeOf(group.key);
      if (type === undefined) {
        const { segment: _none, ...row } = visitMetricsRow('Unknown', group.metrics, '');
        return { ...row, logo: UNKNOWN_LOGO };
      }
      return { ...visitMetricsRow(type.label, group.metrics, segmentOf(type.name)), logo: logoOf(type.name) };
    });
    if (singleTable && rows.length > 0) rows.push(...zeroRows(rows));
    return windowRows(rows.sort(byVisitsThenNaturalLabel), window);
  });
}

/** The device types without a row yet, at zero visits. */
function zeroRows(rows: readonly DeviceTypeRow[]): DeviceTypeRow[] {
  const present = new Set(rows.map((row) => row.label));
  return DEVICE_TYPES.filter((type) => !present.has(type.label)).map((type) => ({
    label: type.label,
    nb_visits: 0,
    segment: segmentOf(type.name),
    logo: logoOf(type.name),
  }));
}
