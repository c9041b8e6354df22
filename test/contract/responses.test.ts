// Real responses of the reference server, validated against the contract's schemas.

import { authorizeThroughPages, createAgent, rfcChallenge, rfcVerifier } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { superuserToken } from '../support/superuser';
import { startTestServer, type TestServer } from '../support/test-server';
import { createValidator } from './validator';

const validator = createValidator();
let server: TestServer;
let token: string;

async function form(path: string, body: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body),
  });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as unknown };
}

beforeAll(async () => {
  server = await startTestServer({ demoVisitsPerDay: 40 });
  // A super user's token, so that every method can be called.
  token = await superuserToken(server);
});
afterAll(() => server.stop());

const api = (method: string, params: Record<string, string>) =>
  form(`/api/${method}`, { format: 'json', ...params }, { Authorization: `Bearer ${token}` });

const calls: [string, Record<string, string>, string][] = [
  ['API.getMatomoVersion', {}, 'StringValue'],
  [
    'API.getBulkRequest',
    { 'urls[]': 'method=VisitsSummary.get&idSite=1&period=day&date=yesterday' },
    'BulkRequestResult',
  ],
  ['SitesManager.getSitesWithAtLeastViewAccess', {}, 'Sites'],
  ['SitesManager.getSiteFromId', { idSite: '2' }, 'Site'],
  ['VisitsSummary.get', { idSite: '1', period: 'day', date: 'yesterday' }, 'VisitsSummaryResult'],
  ['VisitsSummary.get', { idSite: '1,2', period: 'week', date: 'last4' }, 'VisitsSummaryResult'],
  ['VisitsSummary.get', { idSite: 'all', period: 'range', date: 'last30' }, 'VisitsSummaryResult'],
  // `columns`: the named columns, one column as its value (the dashboards' evolution graphs)
  [
    'VisitsSummary.get',
    { idSite: '1', period: 'day', date: 'last30', columns: 'nb_visits' },
    'VisitsSummaryColumnsResult',
  ],
  [
    'VisitsSummary.get',
    { idSite: '1', period: 'day', date: 'today', columns: 'bounce_rate' },
    'VisitsSummaryColumnsResult',
  ],
  [
    'VisitsSummary.get',
    { idSite: '1,2', period: 'week', date: 'last2', columns: 'nb_visits,avg_time_on_site,nb_hits' },
    'VisitsSummaryColumnsResult',
  ],
  [
    'VisitsSummary.get',
    { idSite: '1', period: 'year', date: 'today', columns: 'nb_uniq_visitors' },
    'VisitsSummaryColumnsResult',
  ],
  ['VisitsSummary.getVisits', { idSite: '3', period: 'month', date: 'today' }, 'IntegerResult'],
  ['VisitsSummary.getVisits', { idSite: '1,3', period: 'year', date: 'last2' }, 'IntegerResult'],
  ['Actions.get', { idSite: '1', period: 'month', date: 'today' }, 'ActionsSummaryResult'],
  ['Actions.getPageUrls', { idSite: '1', period: 'month', date: 'today', expanded: '1' }, 'PageUrlsResult'],
  ['Actions.getPageUrls', { idSite: '1', period: 'month', date: 'today', flat: '1' }, 'PageUrlsResult'],
  ['Actions.getPageUrls', { idSite: '1,2', period: 'day', date: 'last3' }, 'PageUrlsResult'],
  ['Actions.getDownloads', { idSite: '1', period: 'month', date: 'today', expanded: '1' }, 'ClickUrlsResult'],
  ['Actions.getDownloads', { idSite: '1,2', period: 'day', date: 'last3', flat: '1' }, 'ClickUrlsResult'],
  ['Actions.getOutlinks', { idSite: '1', period: 'month', date: 'today', expanded: '1' }, 'ClickUrlsResult'],
  [
    'Actions.getEntryPageUrls',
    { idSite: '1', period: 'month', date: 'today', expanded: '1' },
    'LandingPageUrlsResult',
  ],
  [
    'Actions.getExitPageUrls',
    { idSite: '1,2', period: 'day', date: 'last3', flat: '1' },
    'LandingPageUrlsResult',
  ],
  ['Actions.getPageTitles', { idSite: '1', period: 'month', date: 'today' }, 'PageTitlesResult'],
  [
    'Actions.getSiteSearchKeywords',
    { idSite: '1', period: 'month', date: 'today' },
    'SiteSearchKeywordsResult',
  ],
  ['Events.getCategory', { idSite: '1', period: 'month', date: 'today', expanded: '1' }, 'EventsResult'],
  [
    'Events.getAction',
    { idSite: '1,2', period: 'day', date: 'last3', secondaryDimension: 'eventCategory' },
    'EventsResult',
  ],
  ['Events.getName', { idSite: '1', period: 'week', date: 'today', expanded: '1' }, 'EventsResult'],
  ['Events.getCategory', { idSite: '1', period: 'month', date: 'today', flat: '1' }, 'EventsResult'],
  [
    'Events.getActionFromCategoryId',
    { idSite: '1', period: 'year', date: 'today', idSubtable: '1' },
    'EventsResult',
  ],
  [
    'Events.getNameFromCategoryId',
    { idSite: '1', period: 'year', date: 'today', idSubtable: '1' },
    'EventsResult',
  ],
  [
    'Events.getCategoryFromActionId',
    { idSite: '1', period: 'year', date: 'today', idSubtable: '1' },
    'EventsResult',
  ],
  [
    'Events.getNameFromActionId',
    { idSite: '1', period: 'year', date: 'today', idSubtable: '1' },
    'EventsResult',
  ],
  [
    'Events.getActionFromNameId',
    { idSite: '1', period: 'year', date: 'today', idSubtable: '1' },
    'EventsResult',
  ],
  [
    'Events.getCategoryFromNameId',
    { idSite: '1', period: 'year', date: 'today', idSubtable: '1' },
    'EventsResult',
  ],
  [
    'Referrers.getReferrerType',
    { idSite: '1', period: 'week', date: 'today', expanded: '1' },
    'ReferrerTypeResult',
  ],
  [
    'Referrers.getReferrerType',
    { idSite: '1', period: 'week', date: 'today', idSubtable: '2' },
    'ReferrerTypeResult',
  ],
  ['UserCountry.getCountry', { idSite: '2', period: 'month', date: 'today' }, 'CountryResult'],
  ['Referrers.getAll', { idSite: '1', period: 'month', date: 'today' }, 'ReferrerAllResult'],
  [
    'Referrers.getWebsites',
    { idSite: '1', period: 'month', date: 'today', expanded: '1' },
    'ReferrerDimensionResult',
  ],
  [
    'Referrers.getWebsites',
    { idSite: '1', period: 'week', date: 'today', flat: '1' },
    'ReferrerDimensionResult',
  ],
  ['Referrers.getSearchEngines', { idSite: '1,2', period: 'day', date: 'last3' }, 'ReferrerDimensionResult'],
  [
    'Referrers.getKeywords',
    { idSite: '1', period: 'month', date: 'today', expanded: '1' },
    'ReferrerDimensionResult',
  ],
  ['Referrers.getSocials', { idSite: '1', period: 'month', date: 'today' }, 'ReferrerDimensionResult'],
  [
    'Referrers.getCampaigns',
    { idSite: '1', period: 'month', date: 'last2', expanded: '1' },
    'ReferrerDimensionResult',
  ],
  [
    'Referrers.getUrlsFromWebsiteId',
    { idSite: '1', period: 'year', date: 'today', idSubtable: '1' },
    'ReferrerDimensionResult',
  ],
  [
    'Referrers.getKeywordsFromSearchEngineId',
    { idSite: '1,2', period: 'month', date: 'last2', idSubtable: '1' },
    'ReferrerDimensionResult',
  ],
  [
    'Referrers.getSearchEnginesFromKeywordId',
    { idSite: '1', period: 'year', date: 'today', idSubtable: '1' },
    'ReferrerDimensionResult',
  ],
  [
    'Referrers.getKeywordsFromCampaignId',
    { idSite: '1', period: 'year', date: 'today', idSubtable: '1' },
    'ReferrerDimensionResult',
  ],
  ['Referrers.getUrlsForSocial', { idSite: '1', period: 'year', date: 'today' }, 'ReferrerDimensionResult'],
  ['VisitTime.getByDayOfWeek', { idSite: '1', period: 'month', date: 'today' }, 'DayOfWeekResult'],
  ['VisitTime.getByDayOfWeek', { idSite: '2', period: 'range', date: 'last30' }, 'DayOfWeekResult'],
  ['DevicesDetection.getType', { idSite: '3', period: 'month', date: 'last2' }, 'DeviceTypeResult'],
  // One table: with Matomo's zero rows of the other device types.
  ['DevicesDetection.getType', { idSite: '1', period: 'month', date: 'today' }, 'DeviceTypeResult'],
  ['DevicesDetection.getBrowsers', { idSite: '1', period: 'month', date: 'today' }, 'LogoResult'],
  ['DevicesDetection.getOsFamilies', { idSite: '1,2', period: 'day', date: 'last3' }, 'LogoResult'],
  ['Resolution.getResolution', { idSite: '1', period: 'month', date: 'today' }, 'ResolutionResult'],
  ['Resolution.getResolution', { idSite: '1,2', period: 'day', date: 'last3' }, 'ResolutionResult'],
  ['UserCountry.getContinent', { idSite: '1', period: 'week', date: 'last2' }, 'ContinentResult'],
  ['UserCountry.getContinent', { idSite: 'all', period: 'month', date: 'today' }, 'ContinentResult'],
  ['UserCountry.getRegion', { idSite: '1', period: 'month', date: 'today' }, 'RegionResult'],
  ['UserCountry.getRegion', { idSite: '1,2', period: 'day', date: 'last3' }, 'RegionResult'],
  ['UserCountry.getCity', { idSite: '1', period: 'week', date: 'today' }, 'CityResult'],
  ['UserCountry.getCity', { idSite: 'all', period: 'day', date: 'last2' }, 'CityResult'],
  ['UserLanguage.getLanguage', { idSite: '1', period: 'month', date: 'today' }, 'LanguageResult'],
  ['UserLanguage.getLanguage', { idSite: '1,2', period: 'week', date: 'last2' }, 'LanguageResult'],
  [
    'VisitTime.getVisitInformationPerLocalTime',
    { idSite: '3', period: 'day', date: 'last2' },
    'LocalTimeResult',
  ],
  [
    'VisitTime.getVisitInformationPerServerTime',
    { idSite: '2', period: 'day', date: 'yesterday' },
    'ServerTimeResult',
  ],
  ['VisitFrequency.get', { idSite: '1', period: 'month', date: 'today' }, 'VisitFrequencyResult'],
  ['VisitFrequency.get', { idSite: '1,2', period: 'day', date: 'last3' }, 'VisitFrequencyResult'],
  [
    'VisitFrequency.get',
    { idSite: '1', period: 'day', date: 'last3', columns: 'nb_visits_new' },
    'VisitFrequencyColumnsResult',
  ],
  [
    'VisitFrequency.get',
    { idSite: 'all', period: 'month', date: 'today', columns: 'nb_visits_new,bounce_rate_returning' },
    'VisitFrequencyColumnsResult',
  ],
  ['Goals.getGoals', { idSite: '1' }, 'GoalsResult'],
  ['Goals.getGoals', { idSite: '1,2', orderByName: '1' }, 'GoalsResult'],
  ['Goals.get', { idSite: '1', period: 'month', date: 'today' }, 'GoalsSummaryResult'],
  ['Goals.get', { idSite: '1,2', period: 'day', date: 'last3', idGoal: '2' }, 'GoalsSummaryResult'],
  [
    'Goals.get',
    { idSite: '1', period: 'week', date: 'today', showAllGoalSpecificMetrics: '1', format_metrics: '0' },
    'GoalsSummaryResult',
  ],
  [
    'VisitorInterest.getNumberOfVisitsPerVisitDuration',
    { idSite: '1', period: 'week', date: 'today', filter_sort_column: 'nb_visits' },
    'VisitorInterestResult',
  ],
  [
    'VisitorInterest.getNumberOfVisitsPerPage',
    { idSite: '3', period: 'month', date: 'last2' },
    'VisitorInterestResult',
  ],
  ['Live.getLastVisitsDetails', { idSite: '1', filter_limit: '5' }, 'Visits'],
  [
    'Live.getLastVisitsDetails',
    { idSite: '1,2', period: 'day', date: 'today', doNotFetchActions: '1' },
    'Visits',
  ],
  ['Live.getCounters', { idSite: '1', lastMinutes: '1440' }, 'LiveCounters'],
  ['MultiSites.getAll', { period: 'day', date: 'yesterday' }, 'MultiSitesAllResult'],
  ['MultiSites.getAll', { period: 'week', date: 'last2' }, 'MultiSitesAllResult'],
  ['MultiSites.getAll', { period: 'day', date: 'yesterday', enhanced: '1' }, 'MultiSitesAllResult'],
  [
    'MultiSites.getAll',
    { period: 'week', date: 'last2', enhanced: '1', pattern: 'shop' },
    'MultiSitesAllResult',
  ],
  [
    'MultiSites.getOne',
    { idSite: '1', period: 'month', date: 'today', enhanced: '1' },
    'MultiSitesOneResult',
  ],
  ['MultiSites.getOne', { idSite: '1', period: 'month', date: 'today' }, 'MultiSitesOneResult'],
  // format_metrics=1 and all: durations, rates and money as text, as the schemas allow.
  ...(['1', 'all'] as const).flatMap((format_metrics): [string, Record<string, string>, string][] => [
    [
      'VisitsSummary.get',
      { idSite: '1,3', period: 'month', date: 'today', format_metrics },
      'VisitsSummaryResult',
    ],
    [
      'VisitFrequency.get',
      { idSite: '1', period: 'week', date: 'last2', format_metrics },
      'VisitFrequencyResult',
    ],
    [
      'Goals.get',
      { idSite: '1', period: 'month', date: 'today', showAllGoalSpecificMetrics: '1', format_metrics },
      'GoalsSummaryResult',
    ],
    [
      'UserCountry.getCountry',
      { idSite: '1', period: 'month', date: 'today', format_metrics },
      'CountryResult',
    ],
    [
      'Actions.getPageUrls',
      { idSite: '1', period: 'month', date: 'today', expanded: '1', format_metrics },
      'PageUrlsResult',
    ],
    [
      'MultiSites.getOne',
      { idSite: '3', period: 'month', date: 'today', enhanced: '1', format_metrics },
      'MultiSitesOneResult',
    ],
    [
      'Live.getLastVisitsDetails',
      { idSite: '1', period: 'day', date: 'today', filter_limit: '5', format_metrics },
      'Visits',
    ],
  ]),
  ['MultiSites.getOne', { idSite: '2', period: 'day', date: '2026-11-01,2026-11-03' }, 'MultiSitesOneResult'],
  ['Live.getVisitorProfile', { idSite: '1' }, 'VisitorProfileResult'],
  ['Live.getVisitorProfile', { idSite: '2', limitVisits: '1' }, 'VisitorProfileResult'],
  ['Annotations.getAll', { idSite: 'all' }, 'AnnotationsBySite'],
  ['Annotations.add', { idSite: '2', date: '2026-11-20', note: 'Contract test' }, 'Annotation'],
  ['SitesManager.updateSite', { idSite: '3', siteName: 'Surf' }, 'MatomoSuccess'],
  ['SitesManager.addSite', { siteName: 'Contract site', urls: 'https://contract.example' }, 'IntegerValue'],
  ['OAuth2.getClients', {}, 'OAuth2Clients'],
  ['OAuth2.getClient', { clientId: 'analytics_app' }, 'OAuth2Client'],
  ['OAuth2.getScopes', {}, 'OAuth2ScopeDescriptions'],
  ['OAuth2.setClientActive', { clientId: 'analytics_app', active: '1' }, 'OAuth2ClientOnly'],
];

describe('the Matomo API', () => {
  test.each(calls)('%s %j conforms to %s', async (method, params, schema) => {
    const result = await api(method, params);
    expect(result.status).toBe(200);
    expect(validator.check(`schemas/${schema}`, result.body)).toEqual([]);
    // …and to the method's own 200 response.
    expect(
      validator.check(
        `responses/${method.replace(/\//g, '~1')}/content/application~1json/schema`,
        result.body,
      ),
    ).toEqual([]);
  });

  test('errors are MatomoError', async () => {
    for (const [method, params] of [
      ['VisitsSummary.get', { idSite: '1', period: 'day', date: 'nope' }],
      ['Nope.nope', {}],
    ] as const) {
      const result = await api(method, params);
      expect(validator.check('schemas/MatomoError', result.body)).toEqual([]);
    }
  });
});

describe('OAuth 2.0', () => {
  test('metadata, JWK Set, token, introspection and errors conform', async () => {
    const metadata = await (await fetch(`${server.url}/.well-known/oauth-authorization-server`)).json();
    expect(validator.check('schemas/AuthorizationServerMetadata', metadata)).toEqual([]);
    const jwks = await (await fetch(`${server.url}/oauth2/jwks`)).json();
    expect(validator.check('schemas/JsonWebKeySet', jwks)).toEqual([]);
    const credentials = { client_id: 'analytics_app', client_secret: '7fa9c0f81b8b4a12' };
    const tokens = await form('/oauth2/token', { grant_type: 'client_credentials', ...credentials });
    expect(validator.check('schemas/TokenResponse', tokens.body)).toEqual([]);
    const active = await form('/oauth2/introspect', {
      token: String((tokens.body as { access_token: string }).access_token),
      ...credentials,
    });
    expect(validator.check('schemas/IntrospectionResponse', active.body)).toEqual([]);
    const inactive = await form('/oauth2/introspect', { token: 'nope', ...credentials });
    expect(validator.check('schemas/IntrospectionResponse', inactive.body)).toEqual([]);
    const error = await form('/oauth2/token', { grant_type: 'nope', ...credentials });
    expect(validator.check('schemas/OAuthError', error.body)).toEqual([]);
  });
});

describe('OpenID Connect', () => {
  test('discovery, an ID token response, UserInfo, introspection and errors conform', async () => {
    const metadata = await (await fetch(`${server.url}/.well-known/openid-configuration`)).json();
    expect(validator.check('schemas/OpenIdProviderMetadata', metadata)).toEqual([]);
    const location = await authorizeThroughPages(
      createAgent(server.url),
      `/oauth2/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: 'analytics_app',
        scope: 'openid profile email matomo:read',
        nonce: 'contract',
        code_challenge: rfcChallenge,
        code_challenge_method: 'S256',
      })}`,
    );
    const credentials = { client_id: 'analytics_app', client_secret: '7fa9c0f81b8b4a12' };
    const tokens = await form('/oauth2/token', {
      grant_type: 'authorization_code',
      code: location.searchParams.get('code') ?? '',
      code_verifier: rfcVerifier,
      ...credentials,
    });
    expect(validator.check('schemas/TokenResponse', tokens.body)).toEqual([]);
    const { access_token, refresh_token, id_token } = tokens.body as Record<string, string>;
    expect(id_token).toMatch(/^eyJ/);
    const userinfo = await fetch(`${server.url}/oauth2/userinfo`, {
      headers: { Authorization: `Bearer ${access_token}` },
    });
    expect(validator.check('schemas/UserInfo', await userinfo.json())).toEqual([]);
    for (const token of [access_token, refresh_token]) {
      const described = await form('/oauth2/introspect', { token: token ?? '', ...credentials });
      expect(validator.check('schemas/IntrospectionResponse', described.body)).toEqual([]);
      expect((described.body as { scope: string }).scope).toBe('matomo:read openid profile email');
    }
    const refused = await fetch(`${server.url}/oauth2/userinfo`);
    expect(refused.status).toBe(401);
    expect(validator.check('schemas/OAuthError', await refused.json())).toEqual([]);
  });
});
