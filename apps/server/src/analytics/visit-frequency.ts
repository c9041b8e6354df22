import type { components } from '@matomo-oauth2/sdk/openapi';
import { sql } from 'kysely';
import type { AnalyticsContext, ResultOf } from './context';
import { readMetricsFormat } from './metric-format';
import type { PeriodName } from './periods';
import { resolveReportScope, shapeResult } from './report-scope';
import { scopeSegment } from './segments';
import { queryVisitGroups } from './visit-groups';
import { byCell, cellKey, type VisitMetrics } from './visit-metrics';
import { summarize } from './visits-summary';
import {
  type ColumnSelection,
  readColumnsParameter,
  selectColumns,
  selectedRecord,
} from './visits-summary-columns';

type VisitFrequency = components['schemas']['VisitFrequency'];
type VisitsSummaryColumns = components['schemas']['VisitsSummaryColumns'];

const NO_VISITS: VisitMetrics = {
  nb_uniq_visitors: 0,
  nb_users: 0,
  nb_visits: 0,
  nb_visits_converted: 0,
  nb_actions: 0,
  max_actions: 0,
  sum_visit_length: 0,
  bounce_count: 0,
};

/** The two kinds of visitors, in Matomo's order, with their column suffix and group key. */
const SIDES = [
  { suffix: '_new', returning: 0 },
  { suffix: '_returning', returning: 1 },
] as const;

interface Side {
  suffix: string;
  returning: number;
  /** `undefined`: every column. */
  selection: ColumnSelection | undefined;
}

/**
 * `VisitFrequency.get`: `VisitsSummary.get` twice, for new visitors (`visitorType==new`) and for
 * returning ones (`returning` or `returningCustomer`), each column suffixed `_new` or
 * `_returning` (plugins/VisitFrequency/API.php). As there, one bare record has every column
 * (0 without visits); in a keyed result a side without visits adds no columns, and a period
 * without any visit is `[]`. `columns` names suffixed columns: see `readSides`.
 */
export async function getVisitFrequency(context: AnalyticsContext): Promise<ResultOf<'VisitFrequency.get'>> {
  const scope = await resolveReportScope(context);
  const sides = readSides(context.params.get('columns'), scope.selection.period);
  if (sides.length === 0) return [];
  const segment = scopeSegment(context.params, scope);
  const returning = sql<number>`case when visitor_returning = 0 then 0 else 1 end`;
  const cells = byCell(await queryVisitGroups(context.db, scope, { by: returning, segment }));
  const format = readMetricsFormat(context.params);
  const bare = !scope.bySite && !scope.byPeriod;
  return shapeResult(scope, ({ site }, period): VisitFrequency | [] => {
    const groups = cells.get(cellKey(site.idsite, period)) ?? [];
    const record: VisitFrequency = {};
    for (const side of sides) {
      const metrics =
        groups.find((group) => Number(group.key) === side.returning)?.metrics ??
        (bare ? NO_VISITS : undefined);
      const summary = metrics && summarize(metrics, scope.selection.period, format);
      const columns = side.selection ? selectedRecord(summary, side.selection) : summary;
      if (columns) Object.assign(record, suffixed(columns, side.suffix));
    }
    return Object.keys(record).length === 0 ? [] : record;
  });
}

/**
 * The sides `columns` asks for, as `VisitFrequency\API::unprefixColumns` reads it: a side's
 * columns are the names containing its suffix, the suffix removed (`nb_visits_new` is
 * `nb_visits` of new visitors; `_new` alone, every column). A side none of them names is not
 * queried; with neither, the answer is `[]`. Without `columns`, both sides, every column.
 */
function readSides(columns: string | undefined, period: PeriodName): Side[] {
  const requested = readColumnsParameter(columns);
  if (requested === undefined) return SIDES.map((side) => ({ ...side, selection: undefined }));
  return SIDES.flatMap((side) => {
    const names = requested.filter((name) => name.includes(side.suffix));
    if (names.length === 0) return [];
    const unsuffixed = readColumnsParameter(names.map((name) => name.split(side.suffix).join('')).join(','));
    return [{ ...side, selection: unsuffixed && selectColumns(unsuffixed, period) }];
  });
}

function suffixed(summary: VisitsSummaryColumns, suffix: string): VisitFrequency {
  return Object.fromEntries(Object.entries(summary).map(([name, value]) => [`${name}${suffix}`, value]));
}
