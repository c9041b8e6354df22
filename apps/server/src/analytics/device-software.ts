import type { components } from '@matomo-oauth2/sdk/openapi';
import { sql } from 'kysely';
import type { AnalyticsContext, ResultOf } from './context';
import { browserCodeOf, browserLogo, osFamilyOf, UNKNOWN_DEVICE_CODE } from './device-detector';
import { byVisitsThenLabel, visitMetricsRow } from './dimension-rows';
import { resolveReportScope, shapeResult } from './report-scope';
import { scopeSegment } from './segments';
import { queryVisitGroups, type VisitGroup } from './visit-groups';
import { addVisitMetrics, byCell, cellKey } from './visit-metrics';

type LogoRow = components['schemas']['LogoRow'];

/**
 * `DevicesDetection.getBrowsers`: visits per browser. A browser DeviceDetector knows has its
 * code's logo and the segment `browserCode==XX`; `Unknown` is `UNK`; any other name keeps its
 * label and no segment (plugins/DevicesDetection/API.php, `AddSegmentValue`).
 */
export async function getBrowsers(
  context: AnalyticsContext,
): Promise<ResultOf<'DevicesDetection.getBrowsers'>> {
  // Matomo enriches the browser report with conversions, not the OS one (plugins/DevicesDetection/RecordBuilders).
  return rowsPerValue(context, 'browser_name', true, (name) => {
    const code = name === 'Unknown' ? UNKNOWN_DEVICE_CODE : browserCodeOf(name);
    return {
      label: name,
      logo: browserLogo(name),
      ...(code === undefined ? {} : { segment: `browserCode==${code}` }),
    };
  });
}

/**
 * `DevicesDetection.getOsFamilies`: visits per operating system family (iOS and iPadOS are both
 * `iOS`, Tizen is "Other Mobile"), with the family's logo and, as in Matomo, no segment.
 */
export async function getOsFamilies(
  context: AnalyticsContext,
): Promise<ResultOf<'DevicesDetection.getOsFamilies'>> {
  return rowsPerValue(context, 'os_name', false, osFamilyOf);
}

interface RowLabel {
  label: string;
  logo: string;
  segment?: string;
}

async function rowsPerValue(
  context: AnalyticsContext,
  column: 'browser_name' | 'os_name',
  goals: boolean,
  labelOf: (name: string) => RowLabel,
) {
  const scope = await resolveReportScope(context);
  const segment = scopeSegment(context.params, scope);
  const cells = byCell(
    await queryVisitGroups(context.db, scope, { by: sql.ref(column), segment, dailyUniques: true, goals }),
  );
  return shapeResult(scope, ({ site }, period): LogoRow[] => {
    const rows = new Map<string, { label: RowLabel; groups: VisitGroup[] }>();
    for (const group of cells.get(cellKey(site.idsite, period)) ?? []) {
      const label = labelOf(group.key === null ? 'Unknown' : String(group.key));
      const row = rows.get(label.label);
      if (row) row.groups.push(group);
      else rows.set(label.label, { label, groups: [group] });
    }
    return [...rows.values()]
      .map(({ label, groups }): LogoRow => logoRow(label, groups))
      .sort(byVisitsThenLabel);
  });
}

/** Matomo's `GroupBy`: the rows of one family add up (unique visitors too, as Matomo sums them). */
function logoRow({ label, logo, segment }: RowLabel, groups: readonly VisitGroup[]): LogoRow {
  const total = groups.map((group) => group.metrics).reduce(addVisitMetrics);
  const { segment: _none, ...row } = visitMetricsRow(label, total, '');
  return { ...row, logo, ...(segment === undefined ? {} : { segment }) };
}
