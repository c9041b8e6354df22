import { type AnalyticsMethodName, analyticsMethods } from '../../analytics';
import { levelAtLeast } from '../../oauth/scopes';
import { checkSites } from '../access-check';
import type { MatomoMethod, MethodTable } from '../method-registry';

/** The reports, the live data and the annotations: site-scoped methods of the analytics engine. */
const levels: Record<AnalyticsMethodName, { access: 'view' | 'write'; single: boolean }> = {
  'VisitsSummary.get': { access: 'view', single: false },
  'VisitsSummary.getVisits': { access: 'view', single: false },
  'Actions.get': { access: 'view', single: false },
  'Actions.getPageUrls': { access: 'view', single: false },
  'Referrers.getReferrerType': { access: 'view', single: true },
  'UserCountry.getCountry': { access: 'view', single: false },
  'DevicesDetection.getType': { access: 'view', single: false },
  'Live.getLastVisitsDetails': { access: 'view', single: false },
  'Live.getCounters': { access: 'view', single: true },
  'Annotations.getAll': { access: 'view', single: false },
  'Annotations.add': { access: 'write', single: true },
  'Annotations.delete': { access: 'write', single: true },
};

export const analyticsApiMethods: MethodTable = Object.fromEntries(
  (Object.keys(levels) as AnalyticsMethodName[]).map((name): [string, MatomoMethod] => {
    const { access, single } = levels[name];
    const method = analyticsMethods[name] as (
      context: Parameters<(typeof analyticsMethods)[AnalyticsMethodName]>[0],
    ) => Promise<unknown>;
    return [
      name,
      {
        access,
        async run({ services, caller, params }) {
          const sites = checkSites(caller, params, access, { single });
          return method({
            db: services.db,
            now: services.clock,
            sites,
            params,
            caller: {
              login: caller.login,
              isAdminOf: (idsite) => {
                const level = caller.accessOf(idsite);
                return level !== undefined && levelAtLeast(level, 'admin');
              },
            },
          });
        },
      },
    ];
  }),
);
