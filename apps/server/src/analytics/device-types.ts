import type { components } from '@matomo-oauth2/sdk/openapi';
import type { DeviceType } from '../db/analytics.schema';
import type { AnalyticsContext, ResultOf } from './context';
import { byVisitsThenLabel, visitMetricsRow } from './dimension-rows';
import { resolveReportScope, shapeResult } from './report-scope';
import { readRowWindow, windowRows } from './request-params';
import { scopeSegment } from './segments';
import { byCell, cellKey, queryVisitMetrics } from './visit-metrics';

type DeviceTypeRow = components['schemas']['DeviceTypeRow'];

const DEVICE_TYPES: readonly DeviceType[] = [
  'Desktop',
  'Smartphone',
  'Tablet',
  'Phablet',
  'TV',
  'Console',
  'Unknown',
];

function asDeviceType(value: string | null): DeviceType {
  return DEVICE_TYPES.find((type) => type === value) ?? 'Unknown';
}

/** `DevicesDetection.getType`: visits per device type. */
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
  return shapeResult(scope, ({ site }, period): DeviceTypeRow[] => {
    const rows = (cells.get(cellKey(site.idsite, period)) ?? []).map((group): DeviceTypeRow => {
      const label = asDeviceType(group.key);
      return visitMetricsRow(label, group.metrics, `deviceType==${label.toLowerCase()}`);
    });
    return windowRows(rows.sort(byVisitsThenLabel), window);
  });
}
