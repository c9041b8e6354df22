import { type AnalyticsMethodName, analyticsMethods } from '../../analytics';
import type { Clock } from '../../config/clock';
import type { Db } from '../../db/database';
import { checkSites } from '../access-check';
import type { MatomoMethod, MethodTable } from '../method-registry';

/** The reports, the live data and the annotations: the analytics engine's methods, site-checked. */
export function analyticsApiMethods({ db, clock }: { db: Db; clock: Clock }): MethodTable {
  const method = (name: AnalyticsMethodName): MatomoMethod => {
    const { access, oneSite, run } = analyticsMethods[name];
    return {
      access,
      async run({ caller, params }) {
        const sites = checkSites(caller, params, access, { single: oneSite });
        return run({ db, now: clock, sites, params, caller });
      },
    };
  };
  return Object.fromEntries(
    (Object.keys(analyticsMethods) as AnalyticsMethodName[]).map((name) => [name, method(name)]),
  );
}
