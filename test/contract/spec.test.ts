import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { loadSpec, matomoMethods, operations } from './spec';

const spec = loadSpec();
const all = operations(spec);

// What the contract must cover: the plugin's API module and the Matomo methods users call most.
const requiredMethods: Record<string, 'view' | 'write' | 'admin' | 'superuser'> = {
  'API.getMatomoVersion': 'view',
  'API.getBulkRequest': 'view',
  'SitesManager.getSitesWithAtLeastViewAccess': 'view',
  'SitesManager.getSitesIdWithAtLeastViewAccess': 'view',
  'SitesManager.getSiteFromId': 'view',
  'SitesManager.addSite': 'superuser',
  'SitesManager.updateSite': 'admin',
  'VisitsSummary.get': 'view',
  'VisitsSummary.getVisits': 'view',
  'Actions.get': 'view',
  'Actions.getPageUrls': 'view',
  'Actions.getDownloads': 'view',
  'Actions.getOutlinks': 'view',
  'Actions.getEntryPageUrls': 'view',
  'Actions.getExitPageUrls': 'view',
  'Actions.getPageTitles': 'view',
  'Actions.getSiteSearchKeywords': 'view',
  'Events.getCategory': 'view',
  'Events.getAction': 'view',
  'Events.getName': 'view',
  'Referrers.getReferrerType': 'view',
  'Referrers.getAll': 'view',
  'Referrers.getWebsites': 'view',
  'Referrers.getSearchEngines': 'view',
  'Referrers.getKeywords': 'view',
  'Referrers.getSocials': 'view',
  'Referrers.getCampaigns': 'view',
  'Referrers.getUrlsFromWebsiteId': 'view',
  'Referrers.getKeywordsFromSearchEngineId': 'view',
  'Referrers.getSearchEnginesFromKeywordId': 'view',
  'Referrers.getKeywordsFromCampaignId': 'view',
  'Referrers.getUrlsForSocial': 'view',
  'UserCountry.getCountry': 'view',
  'DevicesDetection.getType': 'view',
  'DevicesDetection.getBrowsers': 'view',
  'DevicesDetection.getOsFamilies': 'view',
  'VisitTime.getVisitInformationPerServerTime': 'view',
  'VisitTime.getVisitInformationPerLocalTime': 'view',
  'UserCountry.getContinent': 'view',
  'Resolution.getResolution': 'view',
  'UserCountry.getRegion': 'view',
  'UserCountry.getCity': 'view',
  'UserLanguage.getLanguage': 'view',
  'VisitTime.getByDayOfWeek': 'view',
  'VisitFrequency.get': 'view',
  'Goals.get': 'view',
  'Goals.getGoals': 'view',
  'Events.getActionFromCategoryId': 'view',
  'Events.getNameFromCategoryId': 'view',
  'Events.getCategoryFromActionId': 'view',
  'Events.getNameFromActionId': 'view',
  'Events.getActionFromNameId': 'view',
  'Events.getCategoryFromNameId': 'view',
  'VisitorInterest.getNumberOfVisitsPerVisitDuration': 'view',
  'VisitorInterest.getNumberOfVisitsPerPage': 'view',
  'Live.getLastVisitsDetails': 'view',
  'Live.getCounters': 'view',
  'Live.getVisitorProfile': 'view',
  'Annotations.getAll': 'view',
  'Annotations.add': 'view',
  'Annotations.delete': 'write',
  'MultiSites.getAll': 'view',
  'MultiSites.getOne': 'view',
  'OAuth2.getClients': 'superuser',
  'OAuth2.getClient': 'superuser',
  'OAuth2.getScopes': 'superuser',
  'OAuth2.createClient': 'superuser',
  'OAuth2.updateClient': 'superuser',
  'OAuth2.rotateSecret': 'superuser',
  'OAuth2.setClientActive': 'superuser',
  'OAuth2.deleteClient': 'superuser',
};
// These carry a password confirmation, which is never read from a URL: POST only.
const postOnly = new Set([
  'OAuth2.createClient',
  'OAuth2.updateClient',
  'OAuth2.rotateSecret',
  'OAuth2.deleteClient',
]);
const scopeFor = {
  view: 'matomo:read',
  write: 'matomo:write',
  admin: 'matomo:admin',
  superuser: 'matomo:superuser',
};

describe('every operation', () => {
  test('has a unique operationId and a summary', () => {
    const ids = all.map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, verb, op } of all) expect(op.summary, `${verb} ${path}`).toBeTruthy();
  });

  test('has an example for each JSON success response', () => {
    const missing: string[] = [];
    for (const { path, verb, op } of all) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if (!status.startsWith('2')) continue;
        const resolved = response.$ref
          ? spec.components.responses[response.$ref.split('/').at(-1) ?? '']
          : response;
        const json =
          resolved?.content?.['application/json'] ?? resolved?.content?.['application/jwk-set+json'];
        if (json && json.example === undefined && json.examples === undefined)
          missing.push(`${verb} ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('OAuth 2.0', () => {
  test.each([
    ['/oauth2/authorize', 'get', 'authorize'],
    ['/oauth2/authorize', 'post', 'authorize'],
    ['/oauth2/token', 'post', 'token'],
    ['/.well-known/oauth-authorization-server', 'get', 'metadata'],
  ])('%s (%s) records its Matomo-style alias', (path, verb, action) => {
    const op = spec.paths[path]?.[verb];
    const route = `/index.php?module=OAuth2&action=${action}`;
    expect(op?.['x-matomo-route']).toBe(route);
    expect(op?.description).toContain(route);
  });

  test.each(['/oauth2/revoke', '/oauth2/introspect', '/oauth2/jwks'])('%s exists', (path) => {
    expect(spec.paths[path]).toBeDefined();
  });

  test('the token endpoint has one request schema per grant', () => {
    const schema = spec.paths['/oauth2/token']?.post?.requestBody?.content?.[
      'application/x-www-form-urlencoded'
    ]?.schema as { $ref: string };
    const tokenRequest = spec.components.schemas[schema.$ref.split('/').at(-1) ?? ''] as {
      oneOf: unknown[];
      discriminator: { propertyName: string; mapping: Record<string, string> };
    };
    expect(tokenRequest.oneOf).toHaveLength(3);
    expect(tokenRequest.discriminator.propertyName).toBe('grant_type');
    expect(Object.keys(tokenRequest.discriminator.mapping).sort()).toEqual([
      'authorization_code',
      'client_credentials',
      'refresh_token',
    ]);
  });

  test('the four scopes are declared for both flows, the identity scopes for sign-in only', () => {
    const flows = spec.components.securitySchemes.matomo_oauth2?.flows ?? {};
    expect(Object.keys(flows.clientCredentials?.scopes ?? {})).toEqual(Object.values(scopeFor));
    expect(Object.keys(flows.authorizationCode?.scopes ?? {})).toEqual([
      ...Object.values(scopeFor),
      'openid',
      'profile',
      'email',
    ]);
  });
});

describe('the Matomo API', () => {
  test('has every required method, and no other', () => {
    expect(matomoMethods(spec).sort()).toEqual(Object.keys(requiredMethods).sort());
  });

  test.each(Object.entries(requiredMethods))(
    '%s: POST and GET, access %s, and matching scope',
    (method, access) => {
      const item = spec.paths[`/api/${method}`] ?? {};
      const verbs = postOnly.has(method) ? ['post'] : ['post', 'get'];
      expect(Object.keys(item).sort()).toEqual([...verbs].sort());
      for (const verb of verbs) {
        const op = item[verb] as (typeof item)[string];
        expect(op.operationId).toBe(verb === 'post' ? method : `${method}.query`);
        expect(op['x-matomo-method']).toBe(method);
        expect(op['x-matomo-access']).toBe(access);
        expect(op['x-matomo-route']).toBe(`/index.php?module=API&method=${method}`);
        // The token's scope is the access level's, or `x-matomo-scope` where it is above it.
        const scope = (op['x-matomo-scope'] ?? access) as keyof typeof scopeFor;
        expect(op.security).toEqual([{ matomo_oauth2: [scopeFor[scope]] }]);
        expect(Object.keys(op.responses ?? {})).toEqual(['200', '400', '401', '403']);
      }
      if (verbs.includes('get')) {
        expect(item.get?.requestBody).toBeUndefined();
        expect(item.get?.parameters?.length).toBeGreaterThan(0);
      }
      expect(item.post?.requestBody?.content?.['application/x-www-form-urlencoded']).toBeDefined();
    },
  );

  test('every result may also be a Matomo error, which Matomo sends with status 200', () => {
    for (const method of matomoMethods(spec)) {
      const schema = spec.components.responses[method]?.content?.['application/json']?.schema as {
        oneOf: { $ref: string }[];
      };
      expect(schema.oneOf.map((s) => s.$ref)).toContain('#/components/schemas/MatomoError');
    }
  });
});

describe('the generated types', () => {
  const generated = readFileSync(
    fileURLToPath(new URL('../../packages/sdk/src/generated/openapi.ts', import.meta.url)),
    'utf8',
  );
  const code = generated.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const schemas = code.slice(
    code.indexOf('schemas: {'),
    code.indexOf('responses: {', code.indexOf('schemas: {')),
  );

  test('say they are generated and must not be edited', () => {
    expect(generated.slice(0, 200)).toMatch(/Generated from openapi\.yaml.*Do not edit/s);
  });

  test('contain no `any`, and no untyped value in a schema', () => {
    expect(code).not.toMatch(/\bany\b/);
    expect(schemas.length).toBeGreaterThan(1000);
    expect(schemas).not.toMatch(/\bunknown\b/);
    expect(schemas).not.toMatch(/Record<string, never>/);
  });
});
