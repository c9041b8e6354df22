import { type AnalyticsMethodName, analyticsMethods } from '../../analytics';
import { applyGenericFilters, readGenericFilters } from '../../analytics/generic-filters/generic-filters';
import {
  needsSubtables,
  paramsForTable,
  withoutSubtables,
} from '../../analytics/generic-filters/request-params';
import type { Clock } from '../../config/clock';
import type { Db } from '../../db/database';
import { Params } from '../../http/params';
import type { AccessLevel } from '../../protocol/scopes';
import type { ApiCaller } from '../../users/api-caller';
import { type CheckedSites, checkSites, checkSomeAccess } from '../access-check';
import type { MatomoMethod, MethodTable } from '../method-registry';

/**
 * The reports, the live data and the annotations: the analytics engine's methods, site-checked.
 * A method whose result is a table gets Matomo's generic filters here, on every table of it.
 */
export function analyticsApiMethods({ db, clock }: { db: Db; clock: Clock }): MethodTable {
  const method = (name: AnalyticsMethodName): MatomoMethod => {
    const { access, scope, oneSite, allSites, table, run } = analyticsMethods[name];
    return {
      access,
      ...(scope === undefined ? {} : { scope }),
      async run({ caller, params }) {
        const sites = allSites
          ? readableSites(caller, access)
          : checkSites(caller, params, access, { single: oneSite });
        if (table === undefined) return run({ db, now: clock, sites, params, caller });
        const filters = readGenericFilters(params, table);
        const result = await run({
          db,
          now: clock,
          sites,
          params: paramsForTable(params, table, filters),
          caller,
        });
        const filtered = applyGenericFilters(result, filters);
        return table === 'report' && needsSubtables(params, filters) ? withoutSubtables(filtered) : filtered;
      },
    };
  };
  return Object.fromEntries(
    (Object.keys(analyticsMethods) as AnalyticsMethodName[]).map((name) => [name, method(name)]),
  );
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
