// SitesManager as Matomo answers it, over HTTP: the site object's fields, types and order against
// Matomo's expected outputs, addSite/updateSite with all their parameters and Matomo's messages,
// getSitesIdWithAtLeastViewAccess; and Annotations' scope rule on the wire.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { callApi, seedApiFixture, tokenFor } from './api-fixture';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
let root: string;
let admin: string;
let viewer: string;
beforeAll(async () => {
  server = await startTestServer();
  await seedApiFixture(server);
  root = await tokenFor(server, 'superuser', 'matomo:superuser');
  admin = await tokenFor(server, 'siteadmin', 'matomo:admin');
  viewer = await tokenFor(server, 'viewer', 'matomo:read');
});
afterAll(() => server.stop());

const call = (method: string, params: Record<string, string | string[]>, token: string) =>
  callApi(server, method, { format: 'json', ...params }, { token });

type Site = Record<string, unknown>;

async function site(idSite: number, token = root): Promise<Site> {
  return (await call('SitesManager.getSiteFromId', { idSite: String(idSite) }, token)).body as Site;
}

async function addSite(params: Record<string, string | string[]>): Promise<number> {
  const added = await call('SitesManager.addSite', params, root);
  expect(added.body, JSON.stringify(added.body)).toMatchObject({ value: expect.any(Number) });
  return (added.body as { value: number }).value;
}

/**
 * The message of a Matomo error. Matomo escapes messages as XML in every format
 * (ResponseBuilder::formatExceptionMessage); undone here, so that the messages compare as written.
 */
async function errorOf(method: string, params: Record<string, string | string[]>, token = root) {
  const result = await call(method, params, token);
  expect(result.status).toBe(200);
  expect(result.body).toMatchObject({ result: 'error' });
  return (result.body as { message: string }).message
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

// The keys of a site, in order, as Matomo shows them to a super user:
// plugins/SitesManager/tests/System/expected/test_SitesManager__SitesManager.getPatternMatchSites.xml
const matomoSiteKeys = [
  'idsite',
  'name',
  'main_url',
  'ts_created',
  'ecommerce',
  'sitesearch',
  'sitesearch_keyword_parameters',
  'sitesearch_category_parameters',
  'timezone',
  'currency',
  'exclude_unknown_urls',
  'excluded_ips',
  'excluded_parameters',
  'excluded_user_agents',
  'excluded_referrers',
  'group',
  'type',
  'keep_url_fragment',
  'creator_login',
  'timezone_name',
  'currency_name',
];

// The types Matomo's JSON sends (plugins/SitesManager/tests/Integration/ApiTest.php: integers
// for the id and the flags, strings for the rest).
const numeric = new Set(['idsite', 'ecommerce', 'sitesearch', 'exclude_unknown_urls', 'keep_url_fragment']);

describe('the site object', () => {
  test('a super user sees Matomo’s fields, in Matomo’s order, with Matomo’s types', async () => {
    const demo = await site(1);
    expect(Object.keys(demo)).toEqual(matomoSiteKeys);
    for (const [key, value] of Object.entries(demo)) {
      expect(typeof value, key).toBe(numeric.has(key) ? 'number' : 'string');
    }
    // The demo's first site, with Matomo's defaults for what the demo does not set.
    expect(demo).toMatchObject({
      idsite: 1,
      name: 'Demo Shop',
      main_url: 'https://shop.example.com',
      sitesearch_keyword_parameters: '',
      sitesearch_category_parameters: '',
      timezone: 'UTC',
      currency: 'EUR',
      exclude_unknown_urls: 0,
      excluded_parameters: '',
      excluded_user_agents: '',
      excluded_referrers: '',
      type: 'website',
      keep_url_fragment: 0,
      timezone_name: 'UTC',
      currency_name: 'Euro',
    });
    expect(demo.ts_created).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  test('anyone else does not see creator_login (“don’t want to expose other user logins”)', async () => {
    const theirs = await site(1, viewer);
    expect(Object.keys(theirs)).toEqual(matomoSiteKeys.filter((key) => key !== 'creator_login'));
    const listed = (await call('SitesManager.getSitesWithAtLeastViewAccess', {}, viewer)).body as Site[];
    expect(listed.map((row) => 'creator_login' in row)).toEqual([false]);
    const all = (await call('SitesManager.getSitesWithAtLeastViewAccess', {}, root)).body as Site[];
    expect(all.every((row) => row.creator_login === 'admin')).toBe(true);
  });

  test('timezone_name and currency_name as Matomo labels them in English', async () => {
    // SitesManager API getTimezoneName: the country for a country's only zone, "Country - City"
    // when it has several (tzdata zone.tab); Intl_Currency_* for the currency.
    expect(await site(2)).toMatchObject({ timezone_name: 'Japan', currency_name: 'Japanese Yen' });
    expect(await site(3)).toMatchObject({
      timezone_name: 'United States - Honolulu',
      currency_name: 'US Dollar',
    });
    const berlin = await addSite({
      siteName: 'Berlin',
      urls: 'https://berlin.example',
      timezone: 'Europe/Berlin',
      currency: 'GBP',
    });
    expect(await site(berlin)).toMatchObject({
      timezone_name: 'Germany - Berlin',
      currency_name: 'British Pound',
    });
    const paris = await addSite({
      siteName: 'Paris',
      urls: 'https://paris.example',
      timezone: 'Europe/Paris',
      currency: 'CHF',
    });
    expect(await site(paris)).toMatchObject({ timezone_name: 'France', currency_name: 'Swiss Franc' });
  });
});

describe('SitesManager.getSitesIdWithAtLeastViewAccess', () => {
  test('a plain list of ids, ascending; [] for a user without sites', async () => {
    const ids = async (token: string) =>
      (await call('SitesManager.getSitesIdWithAtLeastViewAccess', {}, token)).body;
    const all = (await ids(root)) as number[];
    expect(all.slice(0, 3)).toEqual([1, 2, 3]);
    expect(all).toEqual([...all].sort((a, b) => a - b));
    expect(await ids(viewer)).toEqual([1]);
    expect(await ids(await tokenFor(server, 'noaccess', 'matomo:read'))).toEqual([]);
    // The same ids as the sites listed.
    const sites = (await call('SitesManager.getSitesWithAtLeastViewAccess', {}, root)).body as Site[];
    expect(sites.map((row) => row.idsite)).toEqual(all);
  });
});

describe('SitesManager.addSite with all its parameters', () => {
  test('stores each, cleaned as Matomo cleans it', async () => {
    const idsite = await addSite({
      siteName: 'Everything',
      'urls[]': ['everything.example/', 'https://www.everything.example/shop/', 'everything.example'],
      ecommerce: '1',
      siteSearch: '0',
      searchKeywordParameters: ' q, query ,q',
      searchCategoryParameters: 'cat',
      excludedIps: '10.0.0.1, 192.168.*.*,10.0.0.0/8',
      excludedQueryParameters: 'sessid, ,token',
      timezone: 'America/New_York',
      currency: 'USD',
      group: ' Shops ',
      startDate: '2026-1-5',
      excludedUserAgents: 'bot,crawler',
      keepURLFragments: '2',
      type: 'website',
      excludeUnknownUrls: '1',
      excludedReferrers: '.example.org,https://ads.example.net/path',
    });
    expect(await site(idsite)).toEqual({
      idsite,
      name: 'Everything',
      // Urls::cleanParameterUrls: http:// when no scheme, no trailing slash, no repeats.
      main_url: 'http://everything.example',
      ts_created: '2026-01-05 00:00:00',
      ecommerce: 1,
      sitesearch: 0,
      sitesearch_keyword_parameters: 'q,query',
      sitesearch_category_parameters: 'cat',
      timezone: 'America/New_York',
      currency: 'USD',
      exclude_unknown_urls: 1,
      excluded_ips: '10.0.0.1,192.168.*.*,10.0.0.0/8',
      excluded_parameters: 'sessid,token',
      excluded_user_agents: 'bot,crawler',
      excluded_referrers: '.example.org,https://ads.example.net/path',
      group: 'Shops',
      type: 'website',
      keep_url_fragment: 2,
      creator_login: 'superuser',
      timezone_name: 'United States - New York',
      currency_name: 'US Dollar',
    });
    const urls = await server.db
      .selectFrom('sites')
      .select('urls')
      .where('idsite', '=', idsite)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(urls.urls)).toEqual([
      'http://everything.example',
      'https://www.everything.example/shop',
    ]);
  });

  test('without settings, Matomo’s defaults: UTC, USD, site search on, the rest off or empty', async () => {
    const now = new Date(server.clock()).toISOString();
    const idsite = await addSite({ siteName: 'Bare', urls: 'https://bare.example' });
    expect(await site(idsite)).toMatchObject({
      ts_created: `${now.slice(0, 10)} ${now.slice(11, 19)}`,
      ecommerce: 0,
      sitesearch: 1,
      timezone: 'UTC',
      currency: 'USD',
      exclude_unknown_urls: 0,
      excluded_ips: '',
      group: '',
      keep_url_fragment: 0,
    });
    const today = await addSite({ siteName: 'Today', urls: 'https://today.example', startDate: 'yesterday' });
    const yesterday = new Date(Date.parse(now.slice(0, 10)) - 86_400_000).toISOString().slice(0, 10);
    expect((await site(today)).ts_created).toBe(`${yesterday} 00:00:00`);
  });

  test('Matomo’s messages, and the first problem in Matomo’s order is the one reported', async () => {
    const add = (params: Record<string, string | string[]>) => errorOf('SitesManager.addSite', params);
    const url = { urls: 'https://x.example' };
    expect(await add({ ...url })).toBe("Please specify a value for 'siteName'.");
    expect(await add({ siteName: '   ', ...url, currency: 'euro' })).toBe("The website name can't be empty.");
    // addSite checks the time zone, then the currency, then the start date, then the website settings.
    expect(await add({ siteName: 'S', ...url, timezone: 'Mars/Olympus', currency: 'euro' })).toBe(
      'The timezone "Mars/Olympus" is not valid. Please enter a valid timezone.',
    );
    expect(await add({ siteName: 'S', ...url, currency: 'euro', ecommerce: 'x' })).toBe(
      'The currency "euro" is not valid. Please enter a valid currency symbol (eg. USD, EUR, etc.)',
    );
    expect(await add({ siteName: 'S', ...url, currency: 'XYZ' })).toBe(
      'The currency "XYZ" is not valid. Please enter a valid currency symbol (eg. USD, EUR, etc.)',
    );
    expect(await add({ siteName: 'S', ...url, startDate: '2026-13-01', ecommerce: 'x' })).toBe(
      "Date format must be: YYYY-MM-DD, or 'today' or 'yesterday' or any keyword supported by the strtotime function (see http://php.net/strtotime for more information): '2026-13-01'",
    );
    expect(await add({ siteName: 'S', urls: 'java script:alert(1)' })).toBe(
      "The url 'http://java script:alert(1)' is not a valid URL.",
    );
    // Narrower than Matomo, which takes any scheme: websites only (http or https).
    expect(await add({ siteName: 'S', urls: 'ftp://files.example' })).toBe(
      "The url 'ftp://files.example' is not a valid URL.",
    );
    expect(await add({ siteName: 'S', urls: ',' })).toBe(
      'You must specify at least one URL for the website.',
    );
    const notAllowed = (title: string) =>
      `The value for the "${title}" field in the "WebsiteMeasurable" plugin is not allowed`;
    expect(await add({ siteName: 'S', ...url, ecommerce: 'true' })).toBe(notAllowed('Ecommerce'));
    expect(await add({ siteName: 'S', ...url, siteSearch: '2' })).toBe(notAllowed('Site Search'));
    expect(await add({ siteName: 'S', ...url, keepURLFragments: '3' })).toBe(
      notAllowed('Keep Page URL fragments when tracking Page URLs'),
    );
    expect(await add({ siteName: 'S', ...url, excludeUnknownUrls: 'yes' })).toBe(
      notAllowed('Only track visits and actions when the action URL starts with one of the above URLs.'),
    );
    expect(await add({ siteName: 'S', ...url, excludedIps: '1.2.3.4,1.2.3' })).toBe(
      'The IP to exclude "1.2.3" does not have a valid IP format (eg. 1.2.3.4, 1.2.3.*, or 1.2.3.4/5).',
    );
    expect(await add({ siteName: 'S', ...url, excludedReferrers: 'ok.example,bad host' })).toBe(
      "The url 'bad host' is not a valid URL.",
    );
    expect(await add({ siteName: 'S', ...url, type: 'mobileapp' })).toBe(
      'The website type "mobileapp" is not supported: only "website" is.',
    );
  });
});

describe('SitesManager.updateSite with all its parameters', () => {
  test('changes what was sent; a list sent empty is cleared; startDate moves ts_created', async () => {
    const idsite = await addSite({
      siteName: 'To change',
      urls: 'https://change.example',
      excludedIps: '10.0.0.1',
      excludedUserAgents: 'bot',
      group: 'Old',
    });
    const result = await call(
      'SitesManager.updateSite',
      {
        idSite: String(idsite),
        excludedIps: '',
        searchKeywordParameters: 'k',
        keepURLFragments: '1',
        startDate: '2025-12-31',
        currency: ' JPY ',
      },
      root,
    );
    expect(result.body).toEqual({ result: 'success', message: 'ok' });
    expect(await site(idsite)).toMatchObject({
      name: 'To change',
      excluded_ips: '',
      excluded_user_agents: 'bot',
      sitesearch_keyword_parameters: 'k',
      keep_url_fragment: 1,
      ts_created: '2025-12-31 00:00:00',
      currency: 'JPY',
      group: 'Old',
    });
  });

  test('only a super user sets the group; an administrator’s group is ignored, as in Matomo', async () => {
    const before = await site(1);
    const result = await call(
      'SitesManager.updateSite',
      { idSite: '1', group: 'Mine', ecommerce: '0' },
      admin,
    );
    expect(result.body).toEqual({ result: 'success', message: 'ok' });
    expect(await site(1)).toMatchObject({ group: before.group, ecommerce: 0 });
    await call('SitesManager.updateSite', { idSite: '1', group: 'Shops' }, root);
    expect((await site(1)).group).toBe('Shops');
  });

  test('checks in Matomo’s order: the name, the currency, the time zone, then the website settings', async () => {
    const update = (params: Record<string, string>) =>
      errorOf('SitesManager.updateSite', { idSite: '1', ...params });
    expect(await update({ siteName: '', currency: 'euro' })).toBe("The website name can't be empty.");
    expect(await update({ currency: 'euro', timezone: 'Mars/Olympus' })).toBe(
      'The currency "euro" is not valid. Please enter a valid currency symbol (eg. USD, EUR, etc.)',
    );
    expect(await update({ timezone: 'Mars/Olympus', urls: '' })).toBe(
      'The timezone "Mars/Olympus" is not valid. Please enter a valid timezone.',
    );
    expect(await update({ urls: '' })).toBe('You must specify at least one URL for the website.');
  });
});

describe('Annotations over HTTP', () => {
  test('a read token never writes, even on a site its user writes to (403 insufficient_scope)', async () => {
    const readOnly = await tokenFor(server, 'writer', 'matomo:read');
    const refused = await callApi(
      server,
      'Annotations.add',
      { format: 'json', idSite: '1', date: '2026-11-01', note: 'x' },
      { token: readOnly },
    );
    expect(refused.status).toBe(403);
    expect(refused.headers.get('WWW-Authenticate')).toContain('insufficient_scope');
  });

  test('a long note is cut on the wire as Matomo cuts it', async () => {
    const writer = await tokenFor(server, 'writer', 'matomo:write');
    const added = await call(
      'Annotations.add',
      { idSite: '1', date: '2026-11-01', note: 'n'.repeat(300) },
      writer,
    );
    expect(added.body).toMatchObject({ note: `${'n'.repeat(254)}…`, user: 'writer', canEditOrDelete: true });
  });
});
