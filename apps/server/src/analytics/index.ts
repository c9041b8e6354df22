import { getActionsSummary } from './actions-summary';
import { addAnnotation, deleteAnnotation, getAllAnnotations } from './annotations';
import type { AnalyticsMethod, AnalyticsMethodName } from './context';
import { getCountry } from './countries';
import { getDeviceType } from './device-types';
import { getCounters } from './live-counters';
import { getLastVisitsDetails } from './live-visits';
import { getPageUrls } from './page-urls';
import { getReferrerType } from './referrer-types';
import { getVisits, getVisitsSummary } from './visits-summary';

/**
 * The analytics engine of the Matomo API, for the HTTP layer: every method reads its own
 * parameters from `context.params`, trusts `context.sites` to be access-checked already, and
 * throws `MatomoApiError` for bad input.
 *
 * @example
 * ```ts
 * const result = await analyticsMethods['VisitsSummary.get']({ db, now: Date.now, sites: { ids: [1], multiple: false }, params, caller });
 * ```
 */
export const analyticsMethods: { [M in AnalyticsMethodName]: AnalyticsMethod<M> } = {
  'VisitsSummary.get': getVisitsSummary,
  'VisitsSummary.getVisits': getVisits,
  'Actions.get': getActionsSummary,
  'Actions.getPageUrls': getPageUrls,
  'Referrers.getReferrerType': getReferrerType,
  'UserCountry.getCountry': getCountry,
  'DevicesDetection.getType': getDeviceType,
  'Live.getLastVisitsDetails': getLastVisitsDetails,
  'Live.getCounters': getCounters,
  'Annotations.getAll': getAllAnnotations,
  'Annotations.add': addAnnotation,
  'Annotations.delete': deleteAnnotation,
};

export function isAnalyticsMethod(name: string): name is AnalyticsMethodName {
  return Object.hasOwn(analyticsMethods, name);
}

export type {
  AnalyticsContext,
  AnalyticsMethod,
  AnalyticsMethodName,
  Caller,
  ResultOf,
  SiteSelection,
} from './context';
export {
  DEMO_SEED,
  type DemoDataOptions,
  type DemoDataSummary,
  generateDemoData,
} from './demo-data/generate-demo-data';
