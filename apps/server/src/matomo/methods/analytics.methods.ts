import { type AnalyticsMethodName, analyticsMethods } from '../../analytics';
import type { AnalyticsContext } from '../../analytics/context';
import { formatProcessedMetrics, formatsRevenues, loadMoneyFormat } from '../../analytics/formatted-metrics';
import { filterArrayResult } from '../../analytics/generic-filters/array-filters';
import {
  applyGenericFilters,
  type ListKind,
  readGenericFilters,
} from '../../analytics/generic-filters/generic-filters';
import { deleteRecordColumns } from '../../analytics/generic-filters/record-columns';
import { recordValues } from '../../analytics/generic-filters/record-values';
import {
  needsSubtables,
  paramsForTable,
  withoutSubtables,
} from '../../analytics/generic-filters/request-params';
import { readMetricsFormat } from '../../analytics/metric-format';
import type { Clock } from '../../config/clock';
import type { Db } from '../../db/database';
import { Params } from '../../http/params';
import type { AccessLevel } from '../../protocol/scopes';
import type { ApiCaller } from '../../users/api-caller';
import { type CheckedSites, checkSites, checkSomeAccess } from '../access-check';
import type { MatomoMethod, MethodTable } from '../method-registry';

/**
 * The reports, the live data and the annotations: the analytics engine's methods, site-checked.
 * A method whose result is a table gets Matomo's generic filters here, on every table of it; a
 * record its column filters; a plain array the filters Matomo applies to arrays. Then, as
 * Matomo's post-processor ends, `format_metrics` formats the processed metrics; last, a record
 * of one column is read as its value, as Matomo's renderers read it.
 */
export function analyticsApiMethods({
  db,
  clock,
  archives,
}: {
  db: Db;
  clock: Clock;
  /** `false` computes every report from the logs (`AnalyticsContext.archives`): the property test's reference. */
  archives?: boolean;
}): MethodTable {
  const method = (name: AnalyticsMethodName): MatomoMethod => {
    const { access, scope, oneSite, allSites, table, run } = analyticsMethods[name];
    return {
      access,
      ...(scope === undefined ? {} : { scope }),
      async run({ caller, params }) {
        const sites = allSites
          ? readableSites(caller, access)
          : checkSites(caller, params, access, { single: oneSite });
        const context: AnalyticsContext = { db, now: clock, sites, params, caller, archives };
        let result: unknown;
        if (table === 'report' || table === 'live') result = await runTable(run, context, table);
        else if (table === 'record') result = deleteRecordColumns(await run(context), params);
        else if (table === 'array') result = filterArrayResult(await run(context), params);
        else result = await run(context);
        const format = readMetricsFormat(params);
        const money =
          format === 'all' && formatsRevenues(name, table) ? await loadMoneyFormat(db, sites) : undefined;
        const formatted = formatProcessedMetrics(name, result, format, money);
        return table === 'record' ? recordValues(formatted) : formatted;
      },
    };
  };
  return Object.fromEntries(
    (Object.keys(analyticsMethods) as AnalyticsMethodName[]).map((name) => [name, method(name)]),
  );
}

/** Runs a table method on its whole table, then applies the generic filters to every table of the result. */
async function runTable(
  run: (context: AnalyticsContext) => Promise<unknown>,
  context: AnalyticsContext,
  kind: ListKind,
): Promise<unknown> {
  const { params } = context;
  const filters = readGenericFilters(params, kind);
  const result = await run({ ...context, params: paramsForTable(params, kind, filters) });
  const filtered = applyGenericFilters(result, filters);
  return kind === 'report' && needsSubtables(params, filters) ? withoutSubtables(filtered) : filtered;
}

/**
 * A method over every site the caller may read (`MultiSites.getAll`): Matomo first requires
 * some access (`checkUserHasSomeViewAccess`), then reads the sites as `idSite=all` would; an
 * `idSite` in the request is ignored, as Matomo's signature has none.
 */
function readableSites(caller: ApiCaller, access: AccessLevel): CheckedSites {
  checkSomeAccess(caller, access);
  return checkSites(caller, new Params([['idSite', 'all']]), access);
}
