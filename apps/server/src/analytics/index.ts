import { getActionsSummary } from './actions-summary';
import { addAnnotation, deleteAnnotation, getAllAnnotations } from './annotations';
import { getCity } from './cities';
import { getDownloads, getOutlinks } from './click-urls';
import type { AnalyticsMethodEntry, AnalyticsMethodName } from './context';
import { getContinent } from './continent-report';
import { getCountry } from './countries';
import { getByDayOfWeek } from './day-of-week';
import { getBrowsers, getOsFamilies } from './device-software';
import { getDeviceType } from './device-types';
import { getEntryPageUrls, getExitPageUrls } from './entry-exit-page-urls';
import {
  getEventActions,
  getEventActionsFromCategoryId,
  getEventActionsFromNameId,
  getEventCategories,
  getEventCategoriesFromActionId,
  getEventCategoriesFromNameId,
  getEventNames,
  getEventNamesFromActionId,
  getEventNamesFromCategoryId,
} from './events';
import { getGoals } from './goals';
import { getGoalsSummary } from './goals-summary';
import { getLanguage } from './languages';
import { getCounters } from './live-counters';
import { getVisitorProfile } from './live-visitor-profile';
import { getLastVisitsDetails } from './live-visits';
import { getVisitInformationPerLocalTime } from './local-time';
import { getMultiSitesAll, getMultiSitesOne } from './multi-sites';
import { getPageTitles } from './page-titles';
import { getPageUrls } from './page-urls';
import { getAllReferrers } from './referrer-all';
import {
  getCampaigns,
  getKeywords,
  getSearchEngines,
  getSocials,
  getWebsites,
} from './referrer-dimension-reports';
import {
  getKeywordsFromCampaignId,
  getKeywordsFromSearchEngineId,
  getSearchEnginesFromKeywordId,
  getUrlsForSocial,
  getUrlsFromWebsiteId,
} from './referrer-subtables';
import { getReferrerType } from './referrer-types';
import { getRegion } from './regions';
import { getResolution } from './resolutions';
import { getSiteSearchKeywords } from './site-search-keywords';
import { getVisitFrequency } from './visit-frequency';
import { getVisitInformationPerServerTime } from './visit-time';
import { getNumberOfVisitsPerPage, getNumberOfVisitsPerVisitDuration } from './visitor-interest';
import { getVisits, getVisitsSummary } from './visits-summary';

/**
 * The analytics engine of the Matomo API: the one list of its methods, with the access each
 * needs. The names are the contract's (a method missing here, or one the contract lacks, does not
 * compile). Every method reads its own parameters from `context.params`, trusts `context.sites`
 * to be access-checked already, and throws `MatomoApiError` for bad input.
 *
 * @example
 * ```ts
 * const result = await analyticsMethods['VisitsSummary.get'].run({ db, now: Date.now, sites: { ids: [1], multiple: false }, params, caller });
 * ```
 */
export const analyticsMethods: { readonly [M in AnalyticsMethodName]: AnalyticsMethodEntry<M> } = {
  'VisitsSummary.get': { access: 'view', oneSite: false, table: 'record', run: getVisitsSummary },
  'VisitsSummary.getVisits': { access: 'view', oneSite: false, run: getVisits },
  'Actions.get': { access: 'view', oneSite: false, table: 'record', run: getActionsSummary },
  'Actions.getPageUrls': { access: 'view', oneSite: false, table: 'report', run: getPageUrls },
  'Actions.getDownloads': { access: 'view', oneSite: false, table: 'report', run: getDownloads },
  'Actions.getOutlinks': { access: 'view', oneSite: false, table: 'report', run: getOutlinks },
  'Actions.getEntryPageUrls': { access: 'view', oneSite: false, table: 'report', run: getEntryPageUrls },
  'Actions.getExitPageUrls': { access: 'view', oneSite: false, table: 'report', run: getExitPageUrls },
  'Actions.getPageTitles': { access: 'view', oneSite: false, table: 'report', run: getPageTitles },
  'Actions.getSiteSearchKeywords': {
    access: 'view',
    oneSite: false,
    table: 'report',
    run: getSiteSearchKeywords,
  },
  'Events.getCategory': { access: 'view', oneSite: false, table: 'report', run: getEventCategories },
  'Events.getAction': { access: 'view', oneSite: false, table: 'report', run: getEventActions },
  'Events.getName': { access: 'view', oneSite: false, table: 'report', run: getEventNames },
  'Events.getActionFromCategoryId': {
    access: 'view',
    oneSite: false,
    table: 'report',
    run: getEventActionsFromCategoryId,
  },
  'Events.getNameFromCategoryId': {
    access: 'view',
    oneSite: false,
    table: 'report',
    run: getEventNamesFromCategoryId,
  },
  'Events.getCategoryFromActionId': {
    access: 'view',
    oneSite: false,
    table: 'report',
    run: getEventCategoriesFromActionId,
  },
  'Events.getNameFromActionId': {
    access: 'view',
    oneSite: false,
    table: 'report',
    run: getEventNamesFromActionId,
  },
  'Events.getActionFromNameId': {
    access: 'view',
    oneSite: false,
    table: 'report',
    run: getEventActionsFromNameId,
  },
  'Events.getCategoryFromNameId': {
    access: 'view',
    oneSite: false,
    table: 'report',
    run: getEventCategoriesFromNameId,
  },
  // One site only, but Matomo checks access to every site named before its own message.
  'Referrers.getReferrerType': { access: 'view', oneSite: false, table: 'report', run: getReferrerType },
  'Referrers.getAll': { access: 'view', oneSite: false, table: 'report', run: getAllReferrers },
  'Referrers.getWebsites': { access: 'view', oneSite: false, table: 'report', run: getWebsites },
  'Referrers.getSearchEngines': { access: 'view', oneSite: false, table: 'report', run: getSearchEngines },
  'Referrers.getKeywords': { access: 'view', oneSite: false, table: 'report', run: getKeywords },
  'Referrers.getSocials': { access: 'view', oneSite: false, table: 'report', run: getSocials },
  'Referrers.getCampaigns': { access: 'view', oneSite: false, table: 'report', run: getCampaigns },
  'Referrers.getUrlsFromWebsiteId': {
    access: 'view',
    oneSite: false,
    table: 'report',
    run: getUrlsFromWebsiteId,
  },
  'Referrers.getKeywordsFromSearchEngineId': {
    access: 'view',
    oneSite: false,
    table: 'report',
    run: getKeywordsFromSearchEngineId,
  },
  'Referrers.getSearchEnginesFromKeywordId': {
    access: 'view',
    oneSite: false,
    table: 'report',
    run: getSearchEnginesFromKeywordId,
  },
  'Referrers.getKeywordsFromCampaignId': {
    access: 'view',
    oneSite: false,
    table: 'report',
    run: getKeywordsFromCampaignId,
  },
  'Referrers.getUrlsForSocial': { access: 'view', oneSite: false, table: 'report', run: getUrlsForSocial },
  'UserCountry.getCountry': { access: 'view', oneSite: false, table: 'report', run: getCountry },
  'UserCountry.getContinent': { access: 'view', oneSite: false, table: 'report', run: getContinent },
  'UserCountry.getRegion': { access: 'view', oneSite: false, table: 'report', run: getRegion },
  'UserCountry.getCity': { access: 'view', oneSite: false, table: 'report', run: getCity },
  'UserLanguage.getLanguage': { access: 'view', oneSite: false, table: 'report', run: getLanguage },
  'Resolution.getResolution': { access: 'view', oneSite: false, table: 'report', run: getResolution },
  'VisitTime.getVisitInformationPerLocalTime': {
    access: 'view',
    oneSite: false,
    table: 'report',
    run: getVisitInformationPerLocalTime,
  },
  'DevicesDetection.getType': { access: 'view', oneSite: false, table: 'report', run: getDeviceType },
  'DevicesDetection.getBrowsers': { access: 'view', oneSite: false, table: 'report', run: getBrowsers },
  'DevicesDetection.getOsFamilies': { access: 'view', oneSite: false, table: 'report', run: getOsFamilies },
  'VisitTime.getVisitInformationPerServerTime': {
    access: 'view',
    oneSite: false,
    table: 'report',
    run: getVisitInformationPerServerTime,
  },
  'VisitTime.getByDayOfWeek': { access: 'view', oneSite: false, table: 'report', run: getByDayOfWeek },
  'VisitFrequency.get': { access: 'view', oneSite: false, table: 'record', run: getVisitFrequency },
  'Goals.get': { access: 'view', oneSite: false, table: 'record', run: getGoalsSummary },
  'Goals.getGoals': { access: 'view', oneSite: false, run: getGoals },
  'VisitorInterest.getNumberOfVisitsPerVisitDuration': {
    access: 'view',
    oneSite: false,
    table: 'report',
    run: getNumberOfVisitsPerVisitDuration,
  },
  'VisitorInterest.getNumberOfVisitsPerPage': {
    access: 'view',
    oneSite: false,
    table: 'report',
    run: getNumberOfVisitsPerPage,
  },
  'Live.getLastVisitsDetails': { access: 'view', oneSite: false, table: 'live', run: getLastVisitsDetails },
  'Live.getCounters': { access: 'view', oneSite: true, table: 'array', run: getCounters },
  'Live.getVisitorProfile': { access: 'view', oneSite: true, run: getVisitorProfile },
  'Annotations.getAll': { access: 'view', oneSite: false, table: 'array', run: getAllAnnotations },
  // Matomo: view access to the site is enough to add a note; the token must still be a write token.
  'Annotations.add': { access: 'view', scope: 'write', oneSite: true, run: addAnnotation },
  'Annotations.delete': { access: 'write', oneSite: true, run: deleteAnnotation },
  // Matomo's getAll has no idSite: it covers every site the caller can view.
  'MultiSites.getAll': { access: 'view', oneSite: false, allSites: true, run: getMultiSitesAll },
  'MultiSites.getOne': { access: 'view', oneSite: true, run: getMultiSitesOne },
};

export function isAnalyticsMethod(name: string): name is AnalyticsMethodName {
  return Object.hasOwn(analyticsMethods, name);
}

export type {
  AnalyticsContext,
  AnalyticsMethod,
  AnalyticsMethodEntry,
  AnalyticsMethodName,
  ResultOf,
  SiteSelection,
} from './context';
export { addDemoGoalsIfNone, DEMO_GOALS } from './demo-data/demo-goals';
export {
  DEMO_SEED,
  type DemoDataOptions,
  type DemoDataSummary,
  generateDemoData,
} from './demo-data/generate-demo-data';
