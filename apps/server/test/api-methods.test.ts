// The Matomo API methods over HTTP: route forms, Matomo's error conventions, writes, and the
// OAuth2 client management module.
import { postToken } from '@matomo-oauth2/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demoConfidentialClient, demoPublicClient } from '../src/seed/demo';
import { callApi, passwordOf, seedApiFixture, tokenFor } from './api-fixture';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
let root: string;
let viewer: string;
beforeAll(async () => {
  server = await startTestServer({ demoVisitsPerDay: 20 });
  await seedApiFixture(server);
  root = await tokenFor(server, 'superuser', 'matomo:superuser');
  viewer = await tokenFor(server, 'viewer', 'matomo:read');
});
afterAll(() => server.stop());

describe('both route forms', () => {
  const calls: [string, Record<string, string>][] = [
    ['VisitsSummary.get', { idSite: '1', period: 'day', date: 'last7' }],
    ['VisitsSummary.getVisits', { idSite: '1', period: 'month', date: 'today' }],
    ['Actions.getPageUrls', { idSite: '1', period: 'week', date: 'today', expanded: '1' }],
    ['UserCountry.getCountry', { idSite: '1', period: 'year', date: 'today' }],
    ['SitesManager.getSiteFromId', { idSite: '1' }],
    ['API.getMatomoVersion', {}],
    ['VisitsSummary.get', { idSite: '1', period: 'day' }],
    ['VisitsSummary.get', { idSite: '1', period: 'fortnight', date: 'today' }],
    ['Nope.nothing', {}],
  ];

  test.each(calls)('%s %j: identical status and body, GET and POST', async (method, params) => {
    const results = await Promise.all(
      (['api', 'index'] as const).flatMap((form) =>
        (['GET', 'POST'] as const).map((verb) =>
          callApi(server, method, params, { token: viewer, form, verb }),
        ),
      ),
    );
    const [first, ...rest] = results;
    for (const result of rest) {
      expect(result.status).toBe(first?.status);
      expect(result.text).toBe(first?.text);
    }
  });

  test('the plugin README’s call, as its curl sends it', async () => {
    const response = await fetch(`${server.url}/index.php`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${viewer}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'module=API&method=VisitsSummary.get&idSite=1&period=day&date=today&format=json',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Array.isArray(body) ? body : Object.keys(body)).toEqual(
      Array.isArray(body) ? [] : expect.arrayContaining(['nb_visits', 'nb_actions']),
    );
  });
});

describe('Matomo’s error conventions', () => {
  test('an unknown method: 400', async () => {
    const result = await callApi(server, 'VisitsSummary.nope', {}, { token: viewer });
    expect(result.status).toBe(400);
    expect(result.body).toEqual({
      result: 'error',
      message:
        "The method 'nope' does not exist or is not available in the module '\\Piwik\\Plugins\\VisitsSummary\\API'.",
    });
  });

  test('no method at index.php: 400', async () => {
    const response = await fetch(`${server.url}/index.php?module=API`, {
      headers: { Authorization: `Bearer ${viewer}` },
    });
    expect(response.status).toBe(400);
  });

  // The other formats are tested in matomo-formats.test.ts.

  test.each(['json', 'JSON'])('format=%s is served', async (format) => {
    const result = await callApi(server, 'API.getMatomoVersion', { format }, { token: viewer });
    expect(result.body).toEqual({ value: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  });

  test.each([
    ['a missing idSite', { period: 'day', date: 'today' }],
    ['a malformed idSite', { idSite: '1.5', period: 'day', date: 'today' }],
    ['a missing period', { idSite: '1', date: 'today' }],
    ['a malformed date', { idSite: '1', period: 'day', date: '2026-13-45' }],
    ['an unknown period', { idSite: '1', period: 'decade', date: 'today' }],
    ['a reversed range', { idSite: '1', period: 'range', date: '2026-11-10,2026-11-01' }],
  ])('%s: status 200 with Matomo’s error body, as Matomo does', async (_, params) => {
    const result = await callApi(server, 'VisitsSummary.get', params, { token: viewer });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ result: 'error', message: expect.any(String) });
  });

  test('never a 500 for bad input', async () => {
    const names = [
      'idSite',
      'period',
      'date',
      'filter_limit',
      'filter_offset',
      'expanded',
      'flat',
      'idSubtable',
      'lastMinutes',
      'limit',
    ];
    const methods = [
      'VisitsSummary.get',
      'Actions.getPageUrls',
      'Referrers.getReferrerType',
      'Live.getLastVisitsDetails',
      'Live.getCounters',
      'SitesManager.getSiteFromId',
      'Annotations.getAll',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...methods),
        fc.dictionary(
          fc.constantFrom(...names),
          fc.oneof(
            fc.string({ maxLength: 12 }),
            fc.constantFrom('1', 'all', 'day', 'today', 'last3', '-1', '0', '2026-11-01,2026-11-03'),
          ),
        ),
        async (method, params) => {
          const result = await callApi(server, method, params, { token: viewer });
          expect(result.status).toBeLessThan(500);
          expect(result.body).toBeDefined();
        },
      ),
      { numRuns: 120 },
    );
  });
});

describe('writes really write', () => {
  test('Annotations.add, then Annotations.getAll shows it', async () => {
    const writer = await tokenFor(server, 'writer', 'matomo:write');
    const added = await callApi(
      server,
      'Annotations.add',
      { idSite: '1', date: '2026-11-02', note: 'Price change (test)', starred: '1' },
      { token: writer },
    );
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({
      date: '2026-11-02',
      note: 'Price change (test)',
      starred: 1,
      user: 'writer',
      canEditOrDelete: true,
    });
    const all = await callApi(server, 'Annotations.getAll', { idSite: '1' }, { token: viewer });
    const notes =
      (all.body as Record<string, { note: string; user: string; canEditOrDelete: boolean }[]>)['1'] ?? [];
    const mine = notes.find((note) => note.note === 'Price change (test)');
    expect(mine).toMatchObject({ user: 'writer', canEditOrDelete: false });
  });

  test('SitesManager.addSite and updateSite check their settings in Matomo’s order: the first problem is the one reported', async () => {
    const add = (params: Record<string, string>) =>
      callApi(server, 'SitesManager.addSite', params, { token: root });
    // Quotes reach the wire HTML-escaped, as Matomo sends its messages.
    const notAllowed = (title: string) => ({
      result: 'error',
      message: `The value for the &quot;${title}&quot; field in the &quot;WebsiteMeasurable&quot; plugin is not allowed`,
    });
    expect((await add({ siteName: '', ecommerce: 'x' })).body).toEqual({
      result: 'error',
      message: "The website name can't be empty.",
    });
    // Matomo checks the currency before the website settings (ecommerce among them).
    expect((await add({ siteName: 'Shop', ecommerce: 'x', currency: 'euro' })).body).toEqual({
      result: 'error',
      message:
        'The currency &quot;euro&quot; is not valid. Please enter a valid currency symbol (eg. USD, EUR, etc.)',
    });
    expect((await add({ siteName: 'Shop', startDate: '2026-13-01', ecommerce: 'x' })).body).toEqual({
      result: 'error',
      message:
        "Date format must be: YYYY-MM-DD, or 'today' or 'yesterday' or any keyword supported by the strtotime function (see http://php.net/strtotime for more information): '2026-13-01'",
    });
    // Matomo takes 1 or 0 only: `true` is refused with the field's title.
    expect((await add({ siteName: 'Shop', ecommerce: 'true' })).body).toEqual(notAllowed('Ecommerce'));
    const update = await callApi(
      server,
      'SitesManager.updateSite',
      { idSite: '1', siteSearch: 'maybe' },
      { token: root },
    );
    expect(update.body).toEqual(notAllowed('Site Search'));
  });

  test('SitesManager.addSite creates a site that getSitesWithAtLeastViewAccess then lists', async () => {
    const added = await callApi(
      server,
      'SitesManager.addSite',
      {
        siteName: 'New shop',
        'urls[]': ['https://new.example', 'https://www.new.example'],
        timezone: 'Europe/Berlin',
        currency: 'EUR',
      },
      { token: root },
    );
    expect(added.status).toBe(200);
    const idsite = (added.body as { value: number }).value;
    expect(idsite).toBeGreaterThan(3);
    const sites = await callApi(server, 'SitesManager.getSitesWithAtLeastViewAccess', {}, { token: root });
    const site = (
      sites.body as {
        idsite: number;
        name: string;
        main_url: string;
        timezone: string;
        creator_login: string;
      }[]
    ).find((candidate) => candidate.idsite === idsite);
    expect(site).toMatchObject({
      name: 'New shop',
      main_url: 'https://new.example',
      timezone: 'Europe/Berlin',
      creator_login: 'superuser',
    });
    // The viewer does not see it.
    const theirs = await callApi(server, 'SitesManager.getSitesWithAtLeastViewAccess', {}, { token: viewer });
    expect((theirs.body as { idsite: number }[]).map((s) => s.idsite)).toEqual([1]);
  });

  test('SitesManager.updateSite changes what was sent, and validates it', async () => {
    const admin = await tokenFor(server, 'siteadmin', 'matomo:admin');
    const updated = await callApi(
      server,
      'SitesManager.updateSite',
      { idSite: '1', siteName: 'Demo Shop EU', currency: 'GBP' },
      { token: admin },
    );
    expect(updated.body).toEqual({ result: 'success', message: 'ok' });
    const site = await callApi(server, 'SitesManager.getSiteFromId', { idSite: '1' }, { token: admin });
    expect(site.body).toMatchObject({ idsite: 1, name: 'Demo Shop EU', currency: 'GBP', timezone: 'UTC' });
    const invalid: Record<string, string>[] = [
      { timezone: 'Mars/Olympus' },
      { currency: 'euro' },
      { urls: 'not a url' },
      { siteName: '' },
    ];
    for (const params of invalid) {
      const result = await callApi(
        server,
        'SitesManager.updateSite',
        { idSite: '1', ...params },
        { token: admin },
      );
      expect(result.body, JSON.stringify(params)).toMatchObject({ result: 'error' });
    }
  });
});

describe('OAuth2 client management', () => {
  const confirm = { passwordConfirmation: passwordOf('superuser') };
  const settings = {
    name: 'Nightly export',
    'grantTypes[]': ['client_credentials'],
    scope: 'matomo:read',
    type: 'confidential',
  };

  /** Creates a confidential client credentials client through the API. */
  async function createClient(token = root): Promise<{ id: string; secret: string }> {
    const created = (await callApi(server, 'OAuth2.createClient', { ...settings, ...confirm }, { token }))
      .body as {
      client: { client_id: string };
      secret: string;
    };
    return { id: created.client.client_id, secret: created.secret };
  }

  /** A client credentials token request: its status, and the token when there is one. */
  async function clientToken(id: string, secret: string): Promise<{ status: number; token: string }> {
    const result = await postToken(server.url, {
      grant_type: 'client_credentials',
      client_id: id,
      client_secret: secret,
    });
    return { status: result.status, token: String(result.body.access_token) };
  }

  test('createClient returns the secret once, with Cache-Control: no-store; it works at the token endpoint', async () => {
    const created = await callApi(
      server,
      'OAuth2.createClient',
      { ...settings, ...confirm },
      { token: root },
    );
    expect(created.status).toBe(200);
    expect(created.headers.get('Cache-Control')).toBe('no-store');
    const { client, secret } = created.body as {
      client: { client_id: string; owner_login: string; has_secret: boolean };
      secret: string;
    };
    expect(client.client_id).toMatch(/^[0-9a-f]{32}$/);
    expect(client.owner_login).toBe('superuser');
    expect(client.has_secret).toBe(true);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    const token = await postToken(server.url, {
      grant_type: 'client_credentials',
      client_id: client.client_id,
      client_secret: secret,
    });
    expect(token.status).toBe(200);
    const listed = await callApi(server, 'OAuth2.getClients', {}, { token: root });
    expect(listed.text).not.toContain(secret);
    expect(listed.text).not.toContain('secret_digest');
  });

  test('the password confirmation is required, checked, and read only from a POST body', async () => {
    const missing = await callApi(server, 'OAuth2.createClient', settings, { token: root });
    expect(missing.body).toMatchObject({
      result: 'error',
      message: expect.stringContaining('passwordConfirmation'),
    });
    const wrong = await callApi(
      server,
      'OAuth2.createClient',
      { ...settings, passwordConfirmation: 'nope' },
      { token: root },
    );
    expect(wrong.body).toEqual({
      result: 'error',
      message: 'The current password you entered is not correct.',
    });
    const viaGet = await callApi(
      server,
      'OAuth2.createClient',
      { ...settings, ...confirm },
      { token: root, verb: 'GET' },
    );
    expect(viaGet.status).toBe(400);
    expect(viaGet.body).toMatchObject({ message: expect.stringContaining('only accepts POST') });
    const inQuery = await fetch(
      `${server.url}/api/OAuth2.createClient?format=json&passwordConfirmation=${confirm.passwordConfirmation}`,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${root}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ name: 'x', grantTypes: 'client_credentials', scope: 'matomo:read' }),
      },
    );
    expect(await inQuery.json()).toMatchObject({
      result: 'error',
      message: expect.stringContaining('passwordConfirmation'),
    });
  });

  // Security checklist item 10.
  test.each([
    ['a tab', 'https://example.com/cb\there'],
    ['a space', 'https://example.com/c b'],
    ['a leading space', ' https://example.com/cb'],
    ['a trailing space', 'https://example.com/cb '],
    ['two URLs joined', 'https://a.example/cbhttps://b.example/cb'],
    ['a comma-separated list', 'https://a.example/cb,https://b.example/cb'],
    ['plain http on a public host', 'http://example.com/cb'],
    ['a wildcard', 'https://*.example.com/cb'],
    ['a fragment', 'https://example.com/cb#x'],
    ['a relative URI', '/cb'],
    ['javascript:', 'javascript:alert(1)'],
    ['credentials', 'https://user:pass@example.com/cb'],
    ['a host with CSP-breaking characters', "https://a;b'c.example/cb"],
  ])('a redirect URI with %s is refused', async (_, uri) => {
    const result = await callApi(
      server,
      'OAuth2.createClient',
      { ...settings, 'grantTypes[]': ['authorization_code'], redirectUris: uri, ...confirm },
      { token: root },
    );
    expect(result.body).toMatchObject({
      result: 'error',
      message: expect.stringContaining('Invalid redirect_uri'),
    });
  });

  test('a redirect URI carrying another URL in its query is accepted; loopback http too', async () => {
    const result = await callApi(
      server,
      'OAuth2.createClient',
      {
        ...settings,
        'grantTypes[]': ['authorization_code', 'refresh_token'],
        redirectUris:
          'https://example.com/callback?redirect=https://other.example/path\nhttp://127.0.0.1/cb\ncom.example.app:/oauth',
        ...confirm,
      },
      { token: root },
    );
    expect(result.status).toBe(200);
    expect((result.body as { client: { redirect_uris: string[] } }).client.redirect_uris).toHaveLength(3);
  });

  test('validation messages follow the plugin', async () => {
    const call = (params: Record<string, string | string[]>) =>
      callApi(server, 'OAuth2.createClient', { ...settings, ...params, ...confirm }, { token: root });
    expect((await call({ 'grantTypes[]': ['password'] })).body).toMatchObject({
      message: 'Unsupported grant_types: password',
    });
    expect((await call({ type: 'public' })).body).toMatchObject({
      message: 'Public clients cannot use the client_credentials grant type',
    });
    expect((await call({ scope: 'matomo:everything' })).body).toMatchObject({
      message: 'Invalid scope value.',
    });
    // Matomo HTML-escapes error messages, JSON included.
    expect((await call({ name: '' })).body).toMatchObject({
      message: 'Please provide a value for &quot;name&quot;.',
    });
    // The first problem in the plugin's order is the one reported: the name before the active flag.
    expect((await call({ name: '', active: '2' })).body).toMatchObject({
      message: 'Please provide a value for &quot;name&quot;.',
    });
    expect((await call({ active: '2' })).body).toMatchObject({
      message: 'The parameter active must be 1 or 0.',
    });
    expect((await call({ 'grantTypes[]': ['authorization_code'] })).body).toMatchObject({
      message: expect.stringContaining('Invalid redirect_uri'),
    });
    const notFound = await callApi(
      server,
      'OAuth2.getClient',
      { clientId: 'ffffffffffffffffffffffffffffffff' },
      { token: root },
    );
    expect(notFound.body).toEqual({ result: 'error', message: 'OAuth 2.0 client not found' });
  });

  test('rotateSecret: the old secret stops working at once, the new one works', async () => {
    const { id, secret: createdSecret } = await createClient();
    const rotated = await callApi(
      server,
      'OAuth2.rotateSecret',
      { clientId: id, ...confirm },
      { token: root },
    );
    const { secret } = rotated.body as { secret: string };
    expect(secret).not.toBe(createdSecret);
    expect((await clientToken(id, createdSecret)).status).toBe(401);
    expect((await clientToken(id, secret)).status).toBe(200);
    const publicClient = (
      await callApi(
        server,
        'OAuth2.createClient',
        {
          ...settings,
          type: 'public',
          'grantTypes[]': ['authorization_code'],
          redirectUris: 'http://127.0.0.1/cb',
          ...confirm,
        },
        { token: root },
      )
    ).body as { client: { client_id: string }; secret: null };
    expect(publicClient.secret).toBeNull();
    const refused = await callApi(
      server,
      'OAuth2.rotateSecret',
      { clientId: publicClient.client.client_id, ...confirm },
      { token: root },
    );
    expect(refused.body).toEqual({
      result: 'error',
      message: 'Invalid client, please check your client type.',
    });
  });

  test('setClientActive pauses (every token ends) and resumes (none comes back); no password needed', async () => {
    const { id, secret: createdSecret } = await createClient();
    const { token } = await clientToken(id, createdSecret);
    // The client's owner is the super user: its matomo:read token reads everything.
    expect((await callApi(server, 'API.getMatomoVersion', {}, { token })).status).toBe(200);
    const paused = await callApi(
      server,
      'OAuth2.setClientActive',
      { clientId: id, active: '0' },
      { token: root },
    );
    expect((paused.body as { client: { active: boolean } }).client.active).toBe(false);
    expect((await callApi(server, 'API.getMatomoVersion', {}, { token })).status).toBe(401);
    expect((await clientToken(id, createdSecret)).status).toBe(401);
    await callApi(server, 'OAuth2.setClientActive', { clientId: id, active: '1' }, { token: root });
    // Resuming brings no old token back; a new one works.
    expect((await callApi(server, 'API.getMatomoVersion', {}, { token })).status).toBe(401);
    const { token: fresh } = await clientToken(id, createdSecret);
    expect((await callApi(server, 'API.getMatomoVersion', {}, { token: fresh })).status).toBe(200);
  });

  test('updateClient without active leaves a paused client paused', async () => {
    const { id } = await createClient();
    await callApi(server, 'OAuth2.setClientActive', { clientId: id, active: '0' }, { token: root });
    const updated = await callApi(
      server,
      'OAuth2.updateClient',
      { clientId: id, ...settings, name: 'Renamed', ...confirm },
      { token: root },
    );
    expect(updated.body).toMatchObject({ client: { name: 'Renamed', active: false } });
  });

  test('updateClient: the owner stays, public→confidential returns a secret, confidential→public ends its tokens', async () => {
    const other = await tokenFor(server, 'superuser', 'matomo:superuser');
    const { id, secret: createdSecret } = await createClient(other);
    const { token } = await clientToken(id, createdSecret);
    const toPublic = await callApi(
      server,
      'OAuth2.updateClient',
      {
        clientId: id,
        ...settings,
        name: 'Now public',
        type: 'public',
        'grantTypes[]': ['authorization_code'],
        redirectUris: 'http://127.0.0.1/cb',
        ...confirm,
      },
      { token: root },
    );
    expect(toPublic.body).toMatchObject({
      client: { name: 'Now public', type: 'public', has_secret: false, owner_login: 'superuser' },
      secret: null,
    });
    expect((await callApi(server, 'API.getMatomoVersion', {}, { token })).status).toBe(401);
    const toConfidential = await callApi(
      server,
      'OAuth2.updateClient',
      { clientId: id, ...settings, ...confirm },
      { token: root },
    );
    const { secret } = toConfidential.body as { secret: string };
    expect(secret).toEqual(expect.any(String));
    expect((await clientToken(id, secret)).status).toBe(200);
  });

  describe('OpenID Connect settings', () => {
    const webApp = {
      ...settings,
      'grantTypes[]': ['authorization_code', 'refresh_token'],
      redirectUris: 'https://app.example/callback',
      ...confirm,
    };
    type ClientOut = { client_id: string; identity_scopes: string[]; post_logout_redirect_uris: string[] };
    const create = async (params: Record<string, string | string[]>) =>
      callApi(server, 'OAuth2.createClient', { ...webApp, ...params }, { token: root });
    const update = async (id: string, params: Record<string, string | string[]>) =>
      callApi(server, 'OAuth2.updateClient', { clientId: id, ...webApp, ...params }, { token: root });
    const clientOf = (body: unknown) => (body as { client: ClientOut }).client;
    /** The OpenID Connect settings of a client in `OAuth2.*` JSON. */
    const openIdOf = ({ identity_scopes, post_logout_redirect_uris }: ClientOut) => ({
      identity_scopes,
      post_logout_redirect_uris,
    });

    test('the demo clients may ask for openid, profile and email, and have post-logout redirect URIs', async () => {
      const demo = async (clientId: string) =>
        openIdOf(
          (await callApi(server, 'OAuth2.getClient', { clientId }, { token: root })).body as ClientOut,
        );
      expect(await demo(demoConfidentialClient.clientId)).toEqual({
        identity_scopes: ['openid', 'profile', 'email'],
        post_logout_redirect_uris: ['https://example-app.com/'],
      });
      expect(await demo(demoPublicClient.clientId)).toEqual({
        identity_scopes: ['openid', 'profile', 'email'],
        post_logout_redirect_uris: ['http://127.0.0.1/', 'http://[::1]/'],
      });
    });

    test('a client created without them has none', async () => {
      const created = await create({});
      expect(openIdOf(clientOf(created.body))).toEqual({
        identity_scopes: [],
        post_logout_redirect_uris: [],
      });
    });

    test('createClient sets them, as lists or one value each; getClient and getClients show them', async () => {
      const asArrays = await create({
        'identityScopes[]': ['email', 'openid', 'email'],
        'postLogoutRedirectUris[]': [
          'https://app.example/bye',
          'http://127.0.0.1/',
          'https://app.example/bye',
        ],
      });
      expect(openIdOf(clientOf(asArrays.body))).toEqual({
        identity_scopes: ['openid', 'email'],
        post_logout_redirect_uris: ['https://app.example/bye', 'http://127.0.0.1/'],
      });
      const asText = await create({
        identityScopes: 'openid, profile',
        postLogoutRedirectUris: 'https://app.example/bye\r\nhttp://[::1]/\n',
      });
      const expected = {
        identity_scopes: ['openid', 'profile'],
        post_logout_redirect_uris: ['https://app.example/bye', 'http://[::1]/'],
      };
      expect(openIdOf(clientOf(asText.body))).toEqual(expected);
      const id = clientOf(asText.body).client_id;
      const got = await callApi(server, 'OAuth2.getClient', { clientId: id }, { token: root });
      expect(openIdOf(got.body as ClientOut)).toEqual(expected);
      const listed = (await callApi(server, 'OAuth2.getClients', {}, { token: root })).body as ClientOut[];
      expect(listed.filter((client) => client.client_id === id).map(openIdOf)).toEqual([expected]);
    });

    test('updateClient without them keeps them; with them replaces them; empty removes them', async () => {
      const created = await create({
        identityScopes: 'openid,email',
        postLogoutRedirectUris: 'https://app.example/bye',
      });
      const id = clientOf(created.body).client_id;
      const kept = await update(id, { name: 'Renamed' });
      expect(kept.body).toMatchObject({
        client: {
          name: 'Renamed',
          identity_scopes: ['openid', 'email'],
          post_logout_redirect_uris: ['https://app.example/bye'],
        },
      });
      const replaced = await update(id, {
        identityScopes: 'openid',
        'postLogoutRedirectUris[]': ['https://app.example/a', 'https://app.example/b'],
      });
      expect(openIdOf(clientOf(replaced.body))).toEqual({
        identity_scopes: ['openid'],
        post_logout_redirect_uris: ['https://app.example/a', 'https://app.example/b'],
      });
      const removed = await update(id, { identityScopes: '', postLogoutRedirectUris: '' });
      expect(openIdOf(clientOf(removed.body))).toEqual({
        identity_scopes: [],
        post_logout_redirect_uris: [],
      });
      await server.flushAuditLog();
      const updates = await server.db
        .selectFrom('audit_log')
        .select('detail')
        .where('event', '=', 'client.updated')
        .where('client_id', '=', id)
        .orderBy('id')
        .execute();
      expect(updates.map((row) => JSON.parse(row.detail))).toMatchObject([
        { identity_scopes: ['openid', 'email'], post_logout_redirect_uris: ['https://app.example/bye'] },
        {
          identity_scopes: ['openid'],
          post_logout_redirect_uris: ['https://app.example/a', 'https://app.example/b'],
        },
        { identity_scopes: [], post_logout_redirect_uris: [] },
      ]);
    });

    test.each<[string, Record<string, string | string[]>, string]>([
      ['an unknown identity scope', { identityScopes: 'openid,address' }, 'Invalid identity scope: address'],
      [
        'a Matomo scope as an identity scope',
        { 'identityScopes[]': ['matomo:read'] },
        'Invalid identity scope: matomo:read',
      ],
      ['profile without openid', { identityScopes: 'profile' }, 'profile and email need openid'],
      ['email without openid', { 'identityScopes[]': ['email'] }, 'profile and email need openid'],
      [
        'plain http off loopback',
        { postLogoutRedirectUris: 'http://app.example/' },
        'Invalid post_logout_redirect_uri: http://app.example/ (must use https (http only on loopback))',
      ],
      [
        'a trailing space',
        { postLogoutRedirectUris: 'https://app.example/ ' },
        'Invalid post_logout_redirect_uri: https://app.example/  (must not contain whitespace)',
      ],
      [
        'a fragment',
        { 'postLogoutRedirectUris[]': ['https://app.example/#bye'] },
        'Invalid post_logout_redirect_uri: https://app.example/#bye (must not contain a fragment)',
      ],
      [
        'twenty-one of them',
        { 'postLogoutRedirectUris[]': Array.from({ length: 21 }, (_, i) => `https://app.example/${i}`) },
        'Invalid post_logout_redirect_uri: at most 20 post-logout redirect URIs.',
      ],
    ])('%s is refused by createClient and updateClient, which change nothing', async (_, params, message) => {
      const count = async () =>
        ((await callApi(server, 'OAuth2.getClients', {}, { token: root })).body as unknown[]).length;
      const before = await count();
      expect((await create(params)).body).toEqual({ result: 'error', message });
      expect(await count()).toBe(before);
      const created = await create({
        identityScopes: 'openid',
        postLogoutRedirectUris: 'https://app.example/bye',
      });
      const id = clientOf(created.body).client_id;
      const stored = (await callApi(server, 'OAuth2.getClient', { clientId: id }, { token: root })).text;
      expect((await update(id, { ...params, name: 'Renamed' })).body).toEqual({ result: 'error', message });
      expect((await callApi(server, 'OAuth2.getClient', { clientId: id }, { token: root })).text).toBe(
        stored,
      );
    });
  });

  test('deleteClient: gone, with its tokens', async () => {
    const { id, secret: createdSecret } = await createClient();
    const { token } = await clientToken(id, createdSecret);
    const deleted = await callApi(
      server,
      'OAuth2.deleteClient',
      { clientId: id, ...confirm },
      { token: root },
    );
    expect(deleted.body).toEqual({ deleted: true });
    expect((await callApi(server, 'API.getMatomoVersion', {}, { token })).status).toBe(401);
    expect((await callApi(server, 'OAuth2.getClient', { clientId: id }, { token: root })).body).toEqual({
      result: 'error',
      message: 'OAuth 2.0 client not found',
    });
  });

  test('getScopes describes the four scopes; client changes are audited without secrets', async () => {
    const scopes = await callApi(server, 'OAuth2.getScopes', {}, { token: root });
    expect(Object.keys(scopes.body as object)).toEqual([
      'matomo:read',
      'matomo:write',
      'matomo:admin',
      'matomo:superuser',
    ]);
    await server.flushAuditLog();
    const rows = await server.db
      .selectFrom('audit_log')
      .selectAll()
      .where('event', 'like', 'client.%')
      .execute();
    const events = new Set(rows.map((row) => row.event));
    for (const event of [
      'client.created',
      'client.updated',
      'client.secret_rotated',
      'client.paused',
      'client.resumed',
      'client.deleted',
    ]) {
      expect(events).toContain(event);
    }
    expect(JSON.stringify(rows)).not.toContain(passwordOf('superuser'));
  });
});
