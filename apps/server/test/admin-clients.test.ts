// The admin pages for OAuth clients over real HTTP: who may see them, every validation message
// beside its field with what was typed kept, the secret shown once, the confirmations, and forms
// that change nothing when their anti-CSRF token or the password is missing or wrong.
import { type Agent, basic, createAgent, decodeEntities, postToken, readForm } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { countAuditEntries } from '../src/audit/audit-query';
import * as clientRepository from '../src/clients/client.repository';
import { adminPassword, startTestServer, type TestServer } from './test-server';

let server: TestServer;
let admin: Agent;
beforeAll(async () => {
  server = await startTestServer();
  admin = await signIn('admin', adminPassword);
});
afterAll(() => server.stop());

async function signIn(login: string, password: string, returnTo?: string): Promise<Agent> {
  const agent = createAgent(server.url);
  const form = readForm(await (await agent.get('/login')).text(), 'password');
  const response = await agent.postForm('/login', {
    ...form.fields,
    login,
    password,
    ...(returnTo && { return_to: returnTo }),
  });
  expect(response.status).toBe(303);
  return agent;
}

type Fields = Record<string, string | readonly string[]>;

const confidential: Fields = {
  name: 'Reporting robot',
  type: 'confidential',
  grantTypes: ['client_credentials'],
  scope: 'matomo:read',
  redirectUris: '',
  description: 'Nightly exports',
  passwordConfirmation: adminPassword,
};

const webApp: Fields = {
  name: 'Dashboard',
  type: 'public',
  grantTypes: ['authorization_code', 'refresh_token'],
  scope: 'matomo:write',
  redirectUris: 'https://dashboard.example/callback\r\nhttp://127.0.0.1/callback',
  description: 'Team dashboard',
  passwordConfirmation: adminPassword,
};

/** The anti-CSRF token of the signed-in session, as every admin form carries it. */
async function csrfOf(agent: Agent): Promise<string> {
  const html = await (await agent.get('/admin/clients')).text();
  const token = /name="csrf_token" value="([^"]*)"/.exec(html)?.[1];
  if (!token) throw new Error('no anti-CSRF token on the page');
  return token;
}

/** Posts a form as a browser does: checkboxes repeat their name. */
async function post(agent: Agent, path: string, fields: Fields, { csrf = true } = {}): Promise<Response> {
  const body = new URLSearchParams();
  if (csrf) body.append('csrf_token', await csrfOf(agent));
  for (const [name, value] of Object.entries(fields))
    for (const item of typeof value === 'string' ? [value] : value) body.append(name, item);
  // The agent posts a record; URLSearchParams, which keeps repeated names, is accepted as well.
  return agent.postForm(path, body as unknown as Record<string, string>);
}

const decode = decodeEntities;

/** What a form page shows: each field's error and value, read from the HTML. */
function formOnPage(html: string) {
  return {
    error: (field: string) =>
      decode(new RegExp(`<p class="field-error" id="${field}-error">([^<]*)</p>`).exec(html)?.[1] ?? ''),
    describedBy: (field: string) =>
      new RegExp(`id="${field}"[^>]*aria-describedby="([^"]*)"`).exec(html)?.[1] ??
      new RegExp(
        `<fieldset class="field" aria-describedby="([^"]*)"[^>]*>\\s*<legend>[^<]*</legend>\\s*<label class="choice"><input type="\\w+" name="${field}"`,
      ).exec(html)?.[1] ??
      '',
    input: (id: string) =>
      decode(new RegExp(`<input [^>]*id="${id}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? ''),
    textarea: (id: string) =>
      decode(new RegExp(`<textarea id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1] ?? ''),
    checked: (name: string) =>
      [
        ...html.matchAll(
          new RegExp(`<input type="(?:checkbox|radio)" name="${name}"[^>]*value="([^"]*)" checked>`, 'g'),
        ),
      ].map((match) => match[1]),
    selected: (name: string) =>
      new RegExp(`<select id="${name}"[\\s\\S]*?<option value="([^"]*)" selected>`).exec(html)?.[1],
  };
}

/** Every client as stored (secret digests, credentials ids, timestamps): to show that nothing changed. */
async function stored(): Promise<string> {
  return JSON.stringify(await clientRepository.list(server.db));
}

async function create(fields: Fields): Promise<string> {
  // The list is newest first: each client a second younger than the one before.
  server.clock.advance(1000);
  const response = await post(admin, '/admin/clients', fields);
  expect(response.status, await response.clone().text()).toBe(303);
  const location = response.headers.get('Location') ?? '';
  const id = /^\/admin\/clients\/([0-9a-f]{32})\?done=created$/.exec(location)?.[1];
  if (!id) throw new Error(`unexpected Location ${location}`);
  return id;
}

/** The cookie that carries a new secret to the page that shows it (no `__Host-` prefix over http). */
const flashCookie = 'mo_secret_flash';

/** The secret on a client's page, in full, if it is shown. */
function secretOn(html: string): string | undefined {
  return /<input type="text" id="client-secret" value="([^"]*)" readonly/.exec(html)?.[1];
}

async function tokenStatus(clientId: string, secret: string): Promise<number> {
  const result = await postToken(
    server.url,
    { grant_type: 'client_credentials' },
    { headers: { Authorization: basic(clientId, secret) } },
  );
  return result.status;
}

describe('who may use the pages', () => {
  test('a signed-out visitor is sent to sign in, and back', async () => {
    const visitor = createAgent(server.url);
    const response = await visitor.get('/admin/clients/new');
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/login?return_to=%2Fadmin%2Fclients%2Fnew');

    const form = readForm(
      await (await visitor.get('/login?return_to=%2Fadmin%2Fclients%2Fnew')).text(),
      'password',
    );
    const signedIn = await visitor.postForm('/login', {
      ...form.fields,
      login: 'admin',
      password: adminPassword,
    });
    expect(signedIn.headers.get('Location')).toBe('/admin/clients/new');
  });

  test('a signed-out POST is refused, not replayed, and creates nothing', async () => {
    const before = await stored();
    const response = await createAgent(server.url).postForm('/admin/clients', { name: 'x', csrf_token: 'x' });
    expect(response.status).toBe(401);
    expect(await stored()).toBe(before);
  });

  test('a signed-in user who is not a super user gets 403, and changes nothing', async () => {
    const demo = await signIn('demo', 'demo');
    for (const path of ['/admin/clients', '/admin/clients/new', '/admin/clients/analytics_app/delete']) {
      const response = await demo.get(path);
      expect(response.status, path).toBe(403);
      expect(await response.text()).toContain('Super users only');
    }
    const before = await stored();
    const csrf = /name="csrf_token" value="([^"]*)"/.exec(await (await demo.get('/login')).text())?.[1] ?? '';
    const response = await demo.postForm('/admin/clients/analytics_app/pause', { csrf_token: csrf });
    expect(response.status).toBe(403);
    expect(await stored()).toBe(before);
  });
});

describe('the list', () => {
  test('shows the endpoints, the clients newest first, and an action for each', async () => {
    const id = await create({ ...confidential, name: 'Newest of all' });
    const response = await admin.get('/admin/clients');
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
    const html = await response.text();
    expect(html).toContain(`<code>${server.issuer}/oauth2/authorize</code>`);
    expect(html).toContain(`<code>${server.issuer}/oauth2/token</code>`);
    expect(html).toContain('<div class="table-wrap"');
    const rows = [...html.matchAll(/<tr>\s*<td><a href="\/admin\/clients\/([^"]+)">/g)].map(
      (match) => match[1],
    );
    expect(rows[0]).toBe(id);
    expect(rows).toContain('analytics_app');
    for (const action of ['pause', 'rotate-secret', 'delete'])
      expect(html).toContain(`href="/admin/clients/${id}/${action}"`);
    // A public client has no secret to rotate.
    expect(html).not.toContain('href="/admin/clients/matomo_demo_spa/rotate-secret"');
    expect(html).toContain('<span class="muted">never</span>');
  });

  test('an empty state when there are no clients', async () => {
    const empty = await startTestServer({ demo: false });
    try {
      expect(await clientRepository.list(empty.db)).toEqual([]);
      const agent = createAgent(empty.url);
      const form = readForm(await (await agent.get('/login')).text(), 'password');
      await agent.postForm('/login', { ...form.fields, login: 'admin', password: adminPassword });
      const html = await (await agent.get('/admin/clients')).text();
      expect(html).toContain('No applications yet.');
      expect(html).not.toContain('<table');
    } finally {
      await empty.stop();
    }
  });

  test('names are escaped', async () => {
    await create({ ...confidential, name: '<img src=x onerror=alert(1)>' });
    const html = await (await admin.get('/admin/clients')).text();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img src=x');
  });
});

describe('creating a client', () => {
  test('the form: labelled fields, groups in fieldsets, the scopes with their descriptions', async () => {
    const response = await admin.get('/admin/clients/new');
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const html = await response.text();
    for (const id of [
      'name',
      'scope',
      'redirectUris',
      'postLogoutRedirectUris',
      'description',
      'passwordConfirmation',
    ])
      expect(html).toContain(`<label for="${id}">`);
    expect(html).toContain('<legend>Type</legend>');
    expect(html).toContain('<legend>Grant types</legend>');
    expect(html).toContain('<legend>OpenID Connect scopes</legend>');
    expect(html).toContain('matomo:superuser: Everything you can do as a super user');
    for (const choice of [
      'openid: Know who you are: your Matomo login.',
      'profile: See your name.',
      'email: See your email address.',
    ])
      expect(html).toContain(choice);
    expect(formOnPage(html).checked('type')).toEqual(['confidential']);
    expect(formOnPage(html).checked('identityScopes')).toEqual([]);
    expect(formOnPage(html).textarea('postLogoutRedirectUris')).toBe('');
  });

  test('a confidential client: the secret is shown once, works, and is masked on reload', async () => {
    const id = await create(confidential);
    const first = await admin.get(`/admin/clients/${id}?done=created`);
    expect(first.headers.get('Cache-Control')).toBe('no-store');
    const html = await first.text();
    expect(html).toContain('Application created.');
    expect(html).toContain('Copy it now: it will not be shown again.');
    expect(html).toContain('<button type="button" data-copy="client-secret" hidden>Copy</button>');
    const secret = secretOn(html);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await tokenStatus(id, secret ?? '')).toBe(200);

    const again = await (await admin.get(`/admin/clients/${id}`)).text();
    expect(secretOn(again)).toBeUndefined();
    expect(again).not.toContain(secret);
    expect(again).toContain('hidden; rotate to get a new one');
    const details = formOnPage(again);
    expect(details.input('name')).toBe('Reporting robot');
    expect(details.textarea('description')).toBe('Nightly exports');
    expect(again).toContain(`<code>${id}</code>`);
    expect(again).toContain('<dt>Owner</dt><dd>admin</dd>');
  });

  test('regression: the 303 that sets the secret cookie is never cached', async () => {
    server.clock.advance(1000);
    const response = await post(admin, '/admin/clients', confidential);
    expect(response.status).toBe(303);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.getSetCookie().some((line) => line.startsWith(`${flashCookie}=`))).toBe(true);
  });

  test('regression: a saved copy of the secret cookie, replayed after the page showed it, shows it masked', async () => {
    const id = await create(confidential);
    const saved = admin.cookies.get(flashCookie) ?? '';
    expect(saved).not.toBe('');
    expect(secretOn(await (await admin.get(`/admin/clients/${id}`)).text())).toBeDefined();
    admin.cookies.set(flashCookie, saved);
    const replayed = await (await admin.get(`/admin/clients/${id}`)).text();
    expect(secretOn(replayed)).toBeUndefined();
    expect(replayed).toContain('hidden; rotate to get a new one');
  });

  test('regression: the secret cookie replayed in another session shows it masked', async () => {
    const id = await create(confidential);
    const saved = admin.cookies.get(flashCookie) ?? '';
    // The same super user, signed in a second time: another session.
    const other = await signIn('admin', adminPassword);
    other.cookies.set(flashCookie, saved);
    expect(secretOn(await (await other.get(`/admin/clients/${id}`)).text())).toBeUndefined();
    // The session it was put in still sees it, once.
    expect(secretOn(await (await admin.get(`/admin/clients/${id}`)).text())).toBeDefined();
  });

  test('regression: opening another client’s page first does not use up the secret', async () => {
    const id = await create(confidential);
    const otherPage = await admin.get('/admin/clients/analytics_app');
    expect(otherPage.status).toBe(200);
    expect(secretOn(await otherPage.text())).toBeUndefined();
    const html = await (await admin.get(`/admin/clients/${id}?done=created`)).text();
    expect(await tokenStatus(id, secretOn(html) ?? '')).toBe(200);
  });

  test('regression: a HEAD request does not use up the secret', async () => {
    const id = await create(confidential);
    const cookie = [...admin.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const head = await fetch(`${server.url}/admin/clients/${id}`, {
      method: 'HEAD',
      headers: { Cookie: cookie },
    });
    expect(head.status).toBe(200);
    expect(head.headers.getSetCookie()).toEqual([]);
    expect(secretOn(await (await admin.get(`/admin/clients/${id}`)).text())).toBeDefined();
  });

  test('OpenID Connect scopes and post-logout redirect URIs: shown on its page and in its form', async () => {
    const id = await create({
      ...webApp,
      identityScopes: ['email', 'openid'],
      postLogoutRedirectUris: 'https://dashboard.example/bye\r\nhttp://[::1]/',
    });
    const stored = await clientRepository.find(server.db, id);
    expect([stored?.identityScopes, stored?.postLogoutRedirectUris]).toEqual([
      ['openid', 'email'],
      ['https://dashboard.example/bye', 'http://[::1]/'],
    ]);
    const html = await (await admin.get(`/admin/clients/${id}`)).text();
    expect(html).toContain('<dt>OpenID Connect scopes</dt><dd><code>openid</code>, <code>email</code></dd>');
    expect(html).toContain(
      '<dt>Post-logout redirect URIs</dt><dd><code>https://dashboard.example/bye</code><br><code>http://[::1]/</code></dd>',
    );
    const page = formOnPage(html);
    expect(page.checked('identityScopes')).toEqual(['openid', 'email']);
    expect(page.textarea('postLogoutRedirectUris')).toBe('https://dashboard.example/bye\nhttp://[::1]/');

    const without = await (await admin.get(`/admin/clients/${await create(webApp)}`)).text();
    expect(without).toContain('<dt>OpenID Connect scopes</dt><dd><span class="muted">none</span></dd>');
    expect(without).toContain('<dt>Post-logout redirect URIs</dt><dd><span class="muted">none</span></dd>');
  });

  test('a public client has no secret', async () => {
    const id = await create(webApp);
    const html = await (await admin.get(`/admin/clients/${id}?done=created`)).text();
    expect(secretOn(html)).toBeUndefined();
    expect(html).toContain('a public client has no secret');
    const page = formOnPage(html);
    expect(page.textarea('redirectUris')).toBe(
      'https://dashboard.example/callback\nhttp://127.0.0.1/callback',
    );
    expect(page.checked('grantTypes')).toEqual(['authorization_code', 'refresh_token']);
    expect(page.selected('scope')).toBe('matomo:write');
  });

  const long = 'x'.repeat(256);
  test.each<[string, Fields, string, string]>([
    ['no name', { name: '' }, 'name', 'Please provide a value for "name".'],
    ['a name of 256 characters', { name: long }, 'name', 'The name must be at most 255 characters.'],
    ['no grant type', { grantTypes: [] }, 'grantTypes', 'Please provide a value for "grantTypes".'],
    [
      'a public client with client_credentials',
      { type: 'public', grantTypes: ['client_credentials', 'refresh_token'] },
      'grantTypes',
      'Public clients cannot use the client_credentials grant type',
    ],
    [
      'authorization_code without a redirect URI',
      { grantTypes: ['authorization_code'], redirectUris: '' },
      'redirectUris',
      'Invalid redirect_uri: the authorization_code grant needs at least one redirect URI.',
    ],
    [
      'an http redirect URI off loopback',
      { redirectUris: 'https://ok.example/cb\nhttp://app.example/cb' },
      'redirectUris',
      'Invalid redirect_uri: http://app.example/cb (must use https (http only on loopback))',
    ],
    [
      'a wildcard',
      { redirectUris: 'https://*.example/cb' },
      'redirectUris',
      'Invalid redirect_uri: https://*.example/cb (must not contain wildcards)',
    ],
    [
      'a fragment',
      { redirectUris: 'https://app.example/cb#top' },
      'redirectUris',
      'Invalid redirect_uri: https://app.example/cb#top (must not contain a fragment)',
    ],
    [
      'user info',
      { redirectUris: 'https://me:pw@app.example/cb' },
      'redirectUris',
      'Invalid redirect_uri: https://me:pw@app.example/cb (must not contain credentials)',
    ],
    [
      'a trailing space',
      { redirectUris: 'https://app.example/cb ' },
      'redirectUris',
      'Invalid redirect_uri: https://app.example/cb  (must not contain whitespace)',
    ],
    ['a scope that is not offered', { scope: 'matomo:everything' }, 'scope', 'Invalid scope value.'],
    [
      'profile without openid',
      { identityScopes: ['profile'] },
      'identityScopes',
      'profile and email need openid',
    ],
    [
      'an http post-logout redirect URI off loopback',
      { postLogoutRedirectUris: 'https://ok.example/bye\nhttp://app.example/bye' },
      'postLogoutRedirectUris',
      'Invalid post_logout_redirect_uri: http://app.example/bye (must use https (http only on loopback))',
    ],
    [
      'a post-logout redirect URI with a trailing space',
      { postLogoutRedirectUris: 'https://app.example/bye ' },
      'postLogoutRedirectUris',
      'Invalid post_logout_redirect_uri: https://app.example/bye  (must not contain whitespace)',
    ],
    [
      'a description of 2001 characters',
      { description: 'd'.repeat(2001) },
      'description',
      'The description must be at most 2000 characters.',
    ],
    [
      'no password',
      { passwordConfirmation: '' },
      'passwordConfirmation',
      'Please type your password to confirm this change.',
    ],
    [
      'a wrong password',
      { passwordConfirmation: 'not-my-password' },
      'passwordConfirmation',
      'The current password you entered is not correct.',
    ],
  ])(
    '%s: 400, the message beside its field, what was typed kept, nothing created',
    async (_, change, field, message) => {
      const fields: Fields = {
        ...confidential,
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: 'https://ok.example/cb',
        identityScopes: ['openid', 'email'],
        postLogoutRedirectUris: 'https://ok.example/bye',
        ...change,
      };
      const before = await stored();
      const response = await post(admin, '/admin/clients', fields);
      expect(response.status).toBe(400);
      const html = await response.text();
      const page = formOnPage(html);
      expect(page.error(field)).toBe(message);
      expect(page.describedBy(field)).toContain(`${field}-error`);
      expect(html).toContain('Nothing was saved');
      // Only this field has a problem.
      expect(html.match(/class="field-error"/g)).toHaveLength(1);
      expect(page.input('name')).toBe(fields.name);
      expect(page.checked('type')).toEqual([fields.type]);
      expect(page.checked('grantTypes').sort()).toEqual([...(fields.grantTypes ?? [])].sort());
      expect(page.textarea('redirectUris')).toBe(fields.redirectUris);
      expect(page.checked('identityScopes')).toEqual(fields.identityScopes);
      expect(page.textarea('postLogoutRedirectUris')).toBe(fields.postLogoutRedirectUris);
      expect(page.textarea('description')).toBe(fields.description);
      if (field !== 'scope') expect(page.selected('scope')).toBe(fields.scope);
      // The password is never sent back.
      expect(page.input('passwordConfirmation')).toBe('');
      expect(html).not.toContain(adminPassword);
      expect(await stored()).toBe(before);
    },
  );

  test('regression: a form with a problem is refused before the password is checked (a typo costs no attempt)', async () => {
    const failedConfirmations = () => countAuditEntries(server.db, { event: 'password_confirmation.failed' });
    const before = await failedConfirmations();
    const response = await post(admin, '/admin/clients', {
      ...confidential,
      redirectUris: 'ftp://x',
      grantTypes: ['authorization_code'],
      passwordConfirmation: 'wrong-password',
    });
    expect(response.status).toBe(400);
    const page = formOnPage(await response.text());
    expect(page.error('redirectUris')).toContain('forbidden scheme');
    expect(page.error('passwordConfirmation')).toBe('');
    expect(await failedConfirmations()).toBe(before);
  });

  test('every problem at once, each beside its field', async () => {
    const response = await post(admin, '/admin/clients', {
      name: '  ',
      type: 'public',
      grantTypes: ['authorization_code', 'client_credentials'],
      scope: 'matomo:admin',
      redirectUris: 'http://app.example/cb',
      identityScopes: ['email'],
      postLogoutRedirectUris: 'https://app.example/#bye',
      description: 'Kept',
    });
    expect(response.status).toBe(400);
    const page = formOnPage(await response.text());
    expect(page.error('identityScopes')).toBe('profile and email need openid');
    expect(page.error('postLogoutRedirectUris')).toContain('must not contain a fragment');
    expect(page.checked('identityScopes')).toEqual(['email']);
    expect(page.error('name')).toBe('Please provide a value for "name".');
    expect(page.error('grantTypes')).toBe('Public clients cannot use the client_credentials grant type');
    expect(page.error('redirectUris')).toContain('must use https');
    expect(page.error('passwordConfirmation')).toBe('Please type your password to confirm this change.');
    expect(page.textarea('description')).toBe('Kept');
    expect(page.selected('scope')).toBe('matomo:admin');
  });
});

describe('editing a client', () => {
  test('shows the current values; saving changes them and says so', async () => {
    const id = await create(webApp);
    const response = await post(admin, `/admin/clients/${id}`, {
      ...webApp,
      name: 'Dashboard v2',
      scope: 'matomo:read',
      redirectUris: 'https://dashboard.example/v2/callback',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe(`/admin/clients/${id}?done=updated`);
    const html = await (await admin.get(response.headers.get('Location') ?? '')).text();
    expect(html).toContain('Application updated.');
    const page = formOnPage(html);
    expect(page.input('name')).toBe('Dashboard v2');
    expect(page.selected('scope')).toBe('matomo:read');
    expect(page.textarea('redirectUris')).toBe('https://dashboard.example/v2/callback');
    expect((await clientRepository.find(server.db, id))?.ownerLogin).toBe('admin');
  });

  test('OpenID Connect settings: changed, then removed by unticking every scope and emptying the URIs', async () => {
    const id = await create({ ...webApp, identityScopes: ['openid'], postLogoutRedirectUris: '' });
    const save = (fields: Fields) => post(admin, `/admin/clients/${id}`, { ...webApp, ...fields });
    expect(
      (
        await save({
          identityScopes: ['openid', 'profile'],
          postLogoutRedirectUris: 'https://dashboard.example/bye',
        })
      ).status,
    ).toBe(303);
    let client = await clientRepository.find(server.db, id);
    expect([client?.identityScopes, client?.postLogoutRedirectUris]).toEqual([
      ['openid', 'profile'],
      ['https://dashboard.example/bye'],
    ]);
    // A browser sends nothing for a group of unticked boxes: in the form, that means none.
    expect((await save({ postLogoutRedirectUris: '' })).status).toBe(303);
    client = await clientRepository.find(server.db, id);
    expect([client?.identityScopes, client?.postLogoutRedirectUris]).toEqual([[], []]);
  });

  test('a problem or a wrong password: 400, what was typed kept, nothing changed', async () => {
    const id = await create(webApp);
    const before = await stored();
    const invalid = await post(admin, `/admin/clients/${id}`, {
      ...webApp,
      name: 'Renamed',
      redirectUris: 'ftp://x',
    });
    expect(invalid.status).toBe(400);
    const page = formOnPage(await invalid.text());
    expect(page.error('redirectUris')).toBe('Invalid redirect_uri: ftp://x (uses a forbidden scheme)');
    expect(page.input('name')).toBe('Renamed');

    const wrong = await post(admin, `/admin/clients/${id}`, {
      ...webApp,
      name: 'Renamed',
      passwordConfirmation: 'wrong-password',
    });
    expect(wrong.status).toBe(400);
    const html = await wrong.text();
    expect(formOnPage(html).error('passwordConfirmation')).toBe(
      'The current password you entered is not correct.',
    );
    expect(formOnPage(html).input('name')).toBe('Renamed');
    expect(await stored()).toBe(before);
  });

  test('confidential to public removes the secret; back to confidential shows a new one once', async () => {
    const id = await create(confidential);
    const secret = secretOn(await (await admin.get(`/admin/clients/${id}`)).text()) ?? '';
    expect(await tokenStatus(id, secret)).toBe(200);
    const editPage = await (await admin.get(`/admin/clients/${id}`)).text();
    expect(editPage).toContain('Changing to public removes its secret and ends its tokens');

    const toPublic = await post(admin, `/admin/clients/${id}`, {
      ...confidential,
      type: 'public',
      grantTypes: ['authorization_code'],
      redirectUris: 'http://localhost:8080/cb',
    });
    expect(toPublic.status).toBe(303);
    const publicPage = await (await admin.get(`/admin/clients/${id}?done=updated`)).text();
    expect(secretOn(publicPage)).toBeUndefined();
    expect(publicPage).toContain('a public client has no secret');
    expect(publicPage).toContain('Changing to confidential generates a secret');
    expect(await tokenStatus(id, secret)).toBe(401);

    const back = await post(admin, `/admin/clients/${id}`, confidential);
    expect(back.status).toBe(303);
    const shown = await (await admin.get(`/admin/clients/${id}?done=updated`)).text();
    const fresh = secretOn(shown) ?? '';
    expect(fresh).not.toBe('');
    expect(fresh).not.toBe(secret);
    expect(await tokenStatus(id, fresh)).toBe(200);
    expect(secretOn(await (await admin.get(`/admin/clients/${id}`)).text())).toBeUndefined();
  });

  test('an unknown client is a 404 page', async () => {
    for (const path of ['/admin/clients/0123456789abcdef0123456789abcdef', '/admin/clients/nope/pause']) {
      const response = await admin.get(path);
      expect(response.status, path).toBe(404);
      expect(await response.text()).toContain('Application not found');
    }
    const response = await post(admin, '/admin/clients/nope', confidential);
    expect(response.status).toBe(404);
  });
});

describe('rotating, pausing, resuming, deleting', () => {
  test('rotate: a wrong password changes nothing; then the new secret is shown once and the old one fails', async () => {
    const id = await create(confidential);
    const old = secretOn(await (await admin.get(`/admin/clients/${id}`)).text()) ?? '';
    const confirm = await (await admin.get(`/admin/clients/${id}/rotate-secret`)).text();
    expect(confirm).toContain('Rotate the secret of Reporting robot?');
    expect(confirm).toContain('<label for="passwordConfirmation">');

    const before = await stored();
    const wrong = await post(admin, `/admin/clients/${id}/rotate-secret`, { passwordConfirmation: 'wrong' });
    expect(wrong.status).toBe(400);
    expect(formOnPage(await wrong.text()).error('passwordConfirmation')).toBe(
      'The current password you entered is not correct.',
    );
    expect(await stored()).toBe(before);
    expect(await tokenStatus(id, old)).toBe(200);

    const rotated = await post(admin, `/admin/clients/${id}/rotate-secret`, {
      passwordConfirmation: adminPassword,
    });
    expect(rotated.status).toBe(303);
    expect(rotated.headers.get('Location')).toBe(`/admin/clients/${id}?done=rotated`);
    const html = await (await admin.get(`/admin/clients/${id}?done=rotated`)).text();
    expect(html).toContain('New secret generated');
    const fresh = secretOn(html) ?? '';
    expect(await tokenStatus(id, old)).toBe(401);
    expect(await tokenStatus(id, fresh)).toBe(200);
    expect(secretOn(await (await admin.get(`/admin/clients/${id}`)).text())).toBeUndefined();
  });

  test('rotate: a public client has no secret to rotate', async () => {
    const response = await admin.get('/admin/clients/matomo_demo_spa/rotate-secret');
    expect(response.status).toBe(409);
  });

  test('pause asks, ends the tokens; resume lets the client get tokens again', async () => {
    const id = await create(confidential);
    const secret = secretOn(await (await admin.get(`/admin/clients/${id}`)).text()) ?? '';
    const token = (
      await postToken(
        server.url,
        { grant_type: 'client_credentials' },
        { headers: { Authorization: basic(id, secret) } },
      )
    ).body.access_token as string;
    const api = (bearer: string) =>
      fetch(`${server.url}/api/API.getMatomoVersion`, { headers: { Authorization: `Bearer ${bearer}` } });
    expect((await api(token)).status).toBe(200);

    const confirm = await (await admin.get(`/admin/clients/${id}/pause`)).text();
    expect(confirm).toContain('Pause Reporting robot?');
    expect(confirm).toContain('Its tokens stop working at once; users must sign in again after resuming.');
    expect(confirm).not.toContain('passwordConfirmation');
    const paused = await post(admin, `/admin/clients/${id}/pause`, {});
    expect(paused.status).toBe(303);
    expect(paused.headers.get('Location')).toBe('/admin/clients?done=paused');
    const list = await (await admin.get('/admin/clients?done=paused')).text();
    expect(list).toContain('Application paused');
    expect(list).toContain(`href="/admin/clients/${id}/resume"`);
    expect((await api(token)).status).toBe(401);
    expect(await tokenStatus(id, secret)).toBe(401);

    const resumed = await post(admin, `/admin/clients/${id}/resume`, {});
    expect(resumed.headers.get('Location')).toBe('/admin/clients?done=resumed');
    expect((await api(token)).status).toBe(401);
    expect(await tokenStatus(id, secret)).toBe(200);
  });

  test('delete: a wrong password changes nothing; then the client is gone', async () => {
    const id = await create(confidential);
    const confirm = await (await admin.get(`/admin/clients/${id}/delete`)).text();
    expect(confirm).toContain('<button type="submit" class="danger">Delete Reporting robot</button>');

    const before = await stored();
    const wrong = await post(admin, `/admin/clients/${id}/delete`, { passwordConfirmation: 'wrong' });
    expect(wrong.status).toBe(400);
    expect(await stored()).toBe(before);

    const deleted = await post(admin, `/admin/clients/${id}/delete`, { passwordConfirmation: adminPassword });
    expect(deleted.headers.get('Location')).toBe('/admin/clients?done=deleted');
    expect(await clientRepository.find(server.db, id)).toBeUndefined();
    expect((await admin.get(`/admin/clients/${id}`)).status).toBe(404);
  });
});

describe('a form without its anti-CSRF token changes nothing', () => {
  test.each([
    ['create', '/admin/clients', confidential],
    ['update', '/admin/clients/analytics_app', { ...confidential, name: 'Hijacked' }],
    ['rotate', '/admin/clients/analytics_app/rotate-secret', { passwordConfirmation: adminPassword }],
    ['pause', '/admin/clients/analytics_app/pause', {}],
    ['delete', '/admin/clients/analytics_app/delete', { passwordConfirmation: adminPassword }],
  ])('%s', async (_, path, fields) => {
    const before = await stored();
    const missing = await post(admin, path, fields, { csrf: false });
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain('This form has expired');
    const forged = await post(admin, path, { ...fields, csrf_token: 'forged' }, { csrf: false });
    expect(forged.status).toBe(403);
    expect(await stored()).toBe(before);
  });
});

// Last: it spends the admin's allowance of wrong passwords.
describe('password confirmation is throttled like sign-in', () => {
  test('429 with Retry-After, the message beside the password, nothing changed', async () => {
    const before = await stored();
    let response: Response | undefined;
    for (let attempt = 0; attempt < 10; attempt++) {
      response = await post(admin, '/admin/clients/analytics_app/delete', { passwordConfirmation: 'guess' });
      if (response.status === 429) break;
      expect(response.status).toBe(400);
    }
    expect(response?.status).toBe(429);
    expect(Number(response?.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(formOnPage((await response?.text()) ?? '').error('passwordConfirmation')).toMatch(
      /^Too many wrong passwords/,
    );
    // Even the right password waits.
    const right = await post(admin, '/admin/clients/analytics_app/delete', {
      passwordConfirmation: adminPassword,
    });
    expect(right.status).toBe(429);
    expect(await stored()).toBe(before);
  });
});
