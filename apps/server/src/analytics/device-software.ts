import type { components } from '@matomo-oauth2/sdk/openapi';
import { sql } from 'kysely';
import type { AnalyticsContext, ResultOf } from './context';
import { byVisitsThenLabel } from './dimension-rows';
import { resolveReportScope, shapeResult } from './report-scope';
import { scopeSegment } from './segments';
import { queryVisitGroups, type VisitGroup } from './visit-groups';
import { byCell, cellKey, type VisitMetrics } from './visit-metrics';

type LogoRow = components['schemas']['LogoRow'];

const BROWSER_LOGO = 'plugins/Morpheus/icons/dist/browsers/';
const OS_LOGO = 'plugins/Morpheus/icons/dist/os/';

/** Matomo's (DeviceDetector's) short codes of the browsers the visit log names. */
const BROWSER_CODES: Readonly<Record<string, string>> = {
  Chrome: 'CH',
  'Chrome Mobile': 'CM',
  Firefox: 'FF',
  Safari: 'SF',
  'Mobile Safari': 'MF',
  'Microsoft Edge': 'PS',
  Opera: 'OP',
  'Samsung Browser': 'SB',
};

/** The OS family of each operating system the visit log names, and the family's logo code. */
const OS_FAMILIES: Readonly<Record<string, { family: string; code: string }>> = {
  Windows: { family: 'Windows', code: 'WIN' },
  Mac: { family: 'Mac', code: 'MAC' },
  'GNU/Linux': { family: 'GNU/Linux', code: 'LIN' },
  'Chrome OS': { family: 'Chrome OS', code: 'COS' },
  Android: { family: 'Android', code: 'AND' },
  iOS: { family: 'iOS', code: 'IOS' },
  iPadOS: { family: 'iOS', code: 'IOS' },
};

/**
 * `DevicesDetection.getBrowsers`: visits per browser. A browser Matomo knows has its code's logo
 * and the segment `browserCode==XX`; `Unknown` is `UNK`; any other name keeps its label, the
 * unknown logo and no segment (plugins/DevicesDetection/API.php, `AddSegmentValue`).
 */
export async function getBrowsers(
  context: AnalyticsContext,
): Promise<ResultOf<'DevicesDetection.getBrowsers'>> {
  return rowsPerValue(context, 'browser_name', (name) => {
    const code = name === 'Unknown' ? 'UNK' : BROWSER_CODES[name];
    return {
      label: name,
      logo: `${BROWSER_LOGO}${code ?? 'UNK'}.png`,
      ...(code === undefined ? {} : { segment: `browserCode==${code}` }),
    };
  });
}

/**
 * `DevicesDetection.getOsFamilies`: visits per operating system family (iOS and iPadOS are both
 * `iOS`), with the family's logo and, as in Matomo, no segment.
 */
export async function getOsFamilies(
  context: AnalyticsContext,
): Promise<ResultOf<'DevicesDetection.getOsFamilies'>> {
  return rowsPerValue(context, 'os_name', (name) => {
    const known = OS_FAMILIES[name];
    return { label: known?.family ?? name, logo: `${OS_LOGO}${known?.code ?? 'UNK'}.png` };
  });
}

interface RowLabel {
  label: string;
  logo: string;
  segment?: string;
}

async function rowsPerValue(
  context: AnalyticsContext,
  column: 'browser_name' | 'os_name',
  labelOf: (name: string) => RowLabel,
) {
  const scope = await resolveReportScope(context);
  const segment = scopeSegment(context.params, scope);
  const cells = byCell(await queryVisitGroups(context.db, scope, { by: sql.ref(column), segment }));
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
  const total = groups.map((group) => group.metrics).reduce(add);
  return {
    label,
    nb_uniq_visitors: total.nb_uniq_visitors,
    nb_visits: total.nb_visits,
    nb_actions: total.nb_actions,
    max_actions: total.max_actions,
    sum_visit_length: total.sum_visit_length,
    bounce_count: total.bounce_count,
    logo,
    ...(segment === undefined ? {} : { segment }),
  };
}

function add(a: VisitMetrics, b: VisitMetrics): VisitMetrics {
  return {
    nb_uniq_visitors: a.nb_uniq_visitors + b.nb_uniq_visitors,
    nb_users: a.nb_users + b.nb_users,
    nb_visits: a.nb_visits + b.nb_visits,
    nb_visits_converted: a.nb_visits_converted + b.nb_visits_converted,
    nb_actions: a.nb_actions + b.nb_actions,
    max_actions: Math.max(a.max_actions, b.max_actions),
    sum_visit_length: a.sum_visit_length + b.sum_visit_length,
    bounce_count: a.bounce_count + b.bounce_count,
  };
}
