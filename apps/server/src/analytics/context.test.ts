import type { components } from '@matomo-oauth2/sdk/openapi';
import { describe, expect, expectTypeOf, test } from 'vitest';
import type { AnalyticsContext, AnalyticsMethodName, ResultOf } from './context';
import { analyticsMethods, isAnalyticsMethod } from './index';

type Schemas = components['schemas'];

// Checked by `tsc` (the typecheck script), and by vitest at run time for the value parts.
describe('the boundary the HTTP layer calls', () => {
  test("each method returns the contract's result type", () => {
    expectTypeOf<ResultOf<'VisitsSummary.get'>>().toEqualTypeOf<
      Schemas['VisitsSummaryResult'] | Schemas['VisitsSummaryColumnsResult']
    >();
    expectTypeOf<ResultOf<'VisitsSummary.getVisits'>>().toEqualTypeOf<Schemas['IntegerResult']>();
    expectTypeOf<ResultOf<'Actions.get'>>().toEqualTypeOf<Schemas['ActionsSummaryResult']>();
    expectTypeOf<ResultOf<'Actions.getPageUrls'>>().toEqualTypeOf<Schemas['PageUrlsResult']>();
    expectTypeOf<ResultOf<'Actions.getDownloads'>>().toEqualTypeOf<Schemas['ClickUrlsResult']>();
    expectTypeOf<ResultOf<'Actions.getOutlinks'>>().toEqualTypeOf<Schemas['ClickUrlsResult']>();
    expectTypeOf<ResultOf<'Actions.getEntryPageUrls'>>().toEqualTypeOf<Schemas['LandingPageUrlsResult']>();
    expectTypeOf<ResultOf<'Actions.getExitPageUrls'>>().toEqualTypeOf<Schemas['LandingPageUrlsResult']>();
    expectTypeOf<ResultOf<'Actions.getPageTitles'>>().toEqualTypeOf<Schemas['PageTitlesResult']>();
    expectTypeOf<ResultOf<'Actions.getSiteSearchKeywords'>>().toEqualTypeOf<
      Schemas['SiteSearchKeywordsResult']
    >();
    expectTypeOf<ResultOf<'Events.getCategory'>>().toEqualTypeOf<Schemas['EventsResult']>();
    expectTypeOf<ResultOf<'Events.getAction'>>().toEqualTypeOf<Schemas['EventsResult']>();
    expectTypeOf<ResultOf<'Events.getName'>>().toEqualTypeOf<Schemas['EventsResult']>();
    expectTypeOf<ResultOf<'Referrers.getReferrerType'>>().toEqualTypeOf<Schemas['ReferrerTypeResult']>();
    expectTypeOf<ResultOf<'Referrers.getAll'>>().toEqualTypeOf<Schemas['ReferrerAllResult']>();
    expectTypeOf<ResultOf<'Referrers.getWebsites'>>().toEqualTypeOf<Schemas['ReferrerDimensionResult']>();
    expectTypeOf<ResultOf<'Referrers.getSearchEngines'>>().toEqualTypeOf<
      Schemas['ReferrerDimensionResult']
    >();
    expectTypeOf<ResultOf<'Referrers.getKeywords'>>().toEqualTypeOf<Schemas['ReferrerDimensionResult']>();
    expectTypeOf<ResultOf<'Referrers.getSocials'>>().toEqualTypeOf<Schemas['ReferrerDimensionResult']>();
    expectTypeOf<ResultOf<'Referrers.getCampaigns'>>().toEqualTypeOf<Schemas['ReferrerDimensionResult']>();
    expectTypeOf<ResultOf<'Referrers.getUrlsFromWebsiteId'>>().toEqualTypeOf<
      Schemas['ReferrerDimensionResult']
    >();
    expectTypeOf<ResultOf<'Referrers.getKeywordsFromSearchEngineId'>>().toEqualTypeOf<
      Schemas['ReferrerDimensionResult']
    >();
    expectTypeOf<ResultOf<'Referrers.getSearchEnginesFromKeywordId'>>().toEqualTypeOf<
      Schemas['ReferrerDimensionResult']
    >();
    expectTypeOf<ResultOf<'Referrers.getKeywordsFromCampaignId'>>().toEqualTypeOf<
      Schemas['ReferrerDimensionResult']
    >();
    expectTypeOf<ResultOf<'Referrers.getUrlsForSocial'>>().toEqualTypeOf<
      Schemas['ReferrerDimensionResult']
    >();
    expectTypeOf<ResultOf<'VisitTime.getByDayOfWeek'>>().toEqualTypeOf<Schemas['DayOfWeekResult']>();
    expectTypeOf<ResultOf<'UserCountry.getCountry'>>().toEqualTypeOf<Schemas['CountryResult']>();
    expectTypeOf<ResultOf<'UserCountry.getContinent'>>().toEqualTypeOf<Schemas['ContinentResult']>();
    expectTypeOf<ResultOf<'Resolution.getResolution'>>().toEqualTypeOf<Schemas['ResolutionResult']>();
    expectTypeOf<ResultOf<'UserCountry.getRegion'>>().toEqualTypeOf<Schemas['RegionResult']>();
    expectTypeOf<ResultOf<'UserCountry.getCity'>>().toEqualTypeOf<Schemas['CityResult']>();
    expectTypeOf<ResultOf<'UserLanguage.getLanguage'>>().toEqualTypeOf<Schemas['LanguageResult']>();
    expectTypeOf<ResultOf<'VisitTime.getVisitInformationPerLocalTime'>>().toEqualTypeOf<
      Schemas['LocalTimeResult']
    >();
    expectTypeOf<ResultOf<'DevicesDetection.getType'>>().toEqualTypeOf<Schemas['DeviceTypeResult']>();
    expectTypeOf<ResultOf<'Live.getLastVisitsDetails'>>().toEqualTypeOf<Schemas['Visits']>();
    expectTypeOf<ResultOf<'Live.getCounters'>>().toEqualTypeOf<Schemas['LiveCounters']>();
    expectTypeOf<ResultOf<'Live.getVisitorProfile'>>().toEqualTypeOf<Schemas['VisitorProfileResult']>();
    expectTypeOf<ResultOf<'MultiSites.getAll'>>().toEqualTypeOf<Schemas['MultiSitesAllResult']>();
    expectTypeOf<ResultOf<'MultiSites.getOne'>>().toEqualTypeOf<Schemas['MultiSitesOneResult']>();
    expectTypeOf<ResultOf<'Annotations.getAll'>>().toEqualTypeOf<Schemas['AnnotationsBySite']>();
    expectTypeOf<ResultOf<'Annotations.add'>>().toEqualTypeOf<Schemas['Annotation']>();
    expectTypeOf<ResultOf<'Annotations.delete'>>().toEqualTypeOf<Schemas['MatomoSuccess']>();
    expectTypeOf(analyticsMethods['Live.getCounters'].run).toEqualTypeOf<
      (context: AnalyticsContext) => Promise<Schemas['LiveCounters']>
    >();
  });

  test('every method name is served, and nothing else', () => {
    const names: AnalyticsMethodName[] = [
      'VisitsSummary.get',
      'VisitsSummary.getVisits',
      'Actions.get',
      'Actions.getPageUrls',
      'Actions.getDownloads',
      'Actions.getOutlinks',
      'Actions.getEntryPageUrls',
      'Actions.getExitPageUrls',
      'Actions.getPageTitles',
      'Actions.getSiteSearchKeywords',
      'Events.getCategory',
      'Events.getAction',
      'Events.getName',
      'Referrers.getReferrerType',
      'Referrers.getAll',
      'Referrers.getWebsites',
      'Referrers.getSearchEngines',
      'Referrers.getKeywords',
      'Referrers.getSocials',
      'Referrers.getCampaigns',
      'Referrers.getUrlsFromWebsiteId',
      'Referrers.getKeywordsFromSearchEngineId',
      'Referrers.getSearchEnginesFromKeywordId',
      'Referrers.getKeywordsFromCampaignId',
      'Referrers.getUrlsForSocial',
      'UserCountry.getCountry',
      'DevicesDetection.getType',
      'DevicesDetection.getBrowsers',
      'DevicesDetection.getOsFamilies',
      'VisitTime.getVisitInformationPerServerTime',
      'VisitTime.getVisitInformationPerLocalTime',
      'UserCountry.getContinent',
      'Resolution.getResolution',
      'UserCountry.getRegion',
      'UserCountry.getCity',
      'UserLanguage.getLanguage',
      'VisitTime.getByDayOfWeek',
      'VisitFrequency.get',
      'VisitorInterest.getNumberOfVisitsPerVisitDuration',
      'VisitorInterest.getNumberOfVisitsPerPage',
      'Live.getLastVisitsDetails',
      'Live.getCounters',
      'Live.getVisitorProfile',
      'Annotations.getAll',
      'Annotations.add',
      'Annotations.delete',
      'MultiSites.getAll',
      'MultiSites.getOne',
      'Goals.get',
      'Goals.getGoals',
      'Events.getActionFromCategoryId',
      'Events.getNameFromCategoryId',
      'Events.getCategoryFromActionId',
      'Events.getNameFromActionId',
      'Events.getActionFromNameId',
      'Events.getCategoryFromNameId',
    ];
    expect(Object.keys(analyticsMethods).sort()).toEqual([...names].sort());
    for (const name of names) expect(isAnalyticsMethod(name)).toBe(true);
    expect(isAnalyticsMethod('SitesManager.getSiteFromId')).toBe(false);
    expect(isAnalyticsMethod('toString')).toBe(false);
  });
});
