// The admin pages for users, websites and the audit log, over real HTTP: a super user signed in
// through the real sign-in form, every form posted with what the page gave it.
import { type Agent, createAgent, decodeEntities, readForm } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerClient } from '../src/clients/client-registration';
import { passwordProblem } from '../src/users/password-policy';
import { callAsAdmin } from './support/admin-api';
import { adminPassword, startTestServer, type TestServer } from './test-server';

let server: TestServer;
let admin: Agent;

beforeAll(async () => {
  server = await startTestServer(
    {},
    {
      // Generous: several tests send a wrong confirmation password on purpose; the 429 has its own server.
      rateLimits: {
        loginPerIp: { limit: 1000, windowMs: 60_000 },
        loginPerUser: { limit: 1000, windowMs: 60_000 },
        loginPerAccount: { limit: 1000, windowMs: 60_000 },
        clientAuthenticationPerIp: { limit: 1000, windowMs: 60_000 },
      },
    },
  );
  admin = await signIn(server, 'admin', adminPassword);
});
afterAll(() => server.stop());

const goodPassword = 'violet orbit lantern 42';

async function signIn(target: TestServer, login: string, password: string): Promise<Agent> {
  const agent = createAgent(target.url);
  const form = readForm(await (await agent.get('/login')).text(), 'password');
  const response = await agent.postForm('/login', { ...form.fields, login, password });
  expect(response.status).toBe(303);
  return agent;
}

interface Answer {
  status: number;
  html: string;
  headers: Headers;
  location: string | null;
}

async function answer(response: Response): Promise<Answer> {
  return {
    status: response.status,
    html: await response.text(),
    headers: response.headers,
    location: response.headers.get('Location'),
  };
}

const open = async (agent: Agent, path: string) => answer(await agent.get(path));

/** Posts the form of the page at `path` that contains `containing`, its hidden fields as the page gave them. */
async function submit(
  agent: Agent,
  path: string,
  containing: string,
  fields: Record<string, string>,
): Promise<Answer> {
  const page = await open(agent, path);
  expect(page.status, page.html).toBe(200);
  const form = readForm(page.html, containing);
  return answer(await agent.postForm(form.action, { ...form.fields, ...fields }));
}

const decode = decodeEntities;

/** The message shown beside the field with this id. */
function errorBeside(html: string, id: string): string | undefined {
  const match = new RegExp(`<p class="field-error" id="${id}-error"[^>]*>([^<]*)</p>`).exec(html);
  return match ? decode(match[1] as string) : undefined;
}

/** The value an input shows. */
function inputValue(html: string, id: string): string | undefined {
  const match = new RegExp(`<input[^>]*\\bid="${id}"[^>]*\\bvalue="([^"]*)"`).exec(html);
  return match ? decode(match[1] as string) : undefined;
}

/** The value selected in a select. */
function selected(html: string, id: string): string | undefined {
  const select = new RegExp(`<select[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '';
  const match = /<option value="([^"]*)" selected>/.exec(select);
  return match ? decode(match[1] as string) : undefined;
}

async function auditRows(event: string) {
  await server.flushAuditLog();
  return server.db.selectFrom('audit_log').selectAll().where('event', '=', event).orderBy('id').execute();
}

async function userExists(login: string): Promise<boolean> {
  return (
    (await server.db.selectFrom('users').select('login').where('login', '=', login).executeTakeFirst()) !==
    undefined
  );
}

async function createUser(login: string, extra: Record<string, string> = {}): Promise<Answer> {
  return submit(admin, '/admin/users/new', 'name="login"', {
    login,
    email: `${login}@example.org`,
    password: goodPassword,
    passwordConfirmation: adminPassword,
    ...extra,
  });
}

const userUrl = (login: string, action = '') => `/admin/users/${encodeURIComponent(login)}${action}`;

describe('who may see the admin pages', () => {
  test('a signed-out visitor is sent to sign in, and back (the query kept)', async () => {
    const agent = createAgent(server.url);
    for (const path of ['/admin/users', '/admin/sites/2', '/admin/audit?event=login.failed&page=2']) {
      const response = await open(agent, path);
      expect(response.status).toBe(303);
      expect(response.location).toBe(`/login?return_to=${encodeURIComponent(path)}`);
    }
    const form = readForm(await (await agent.get('/login?return_to=%2Fadmin%2Fusers')).text(), 'password');
    const signedIn = await agent.postForm('/login', {
      ...form.fields,
      login: 'admin',
      password: adminPassword,
    });
    expect(signedIn.headers.get('Location')).toBe('/admin/users');
    expect((await open(agent, '/admin/users')).status).toBe(200);
  });

  test('a user who is not a super user (demo) gets 403 on every page and form', async () => {
    const demo = await signIn(server, 'demo', 'demo');
    for (const path of [
      '/admin/users',
      '/admin/users/new',
      '/admin/users/admin',
      '/admin/sites',
      '/admin/sites/1',
      '/admin/audit',
    ]) {
      expect((await open(demo, path)).status, path).toBe(403);
    }
    const csrf = readForm(await (await demo.get('/login')).text(), 'Sign out').fields.csrf_token ?? '';
    const forged = await demo.postForm('/admin/users/demo/superuser', {
      csrf_token: csrf,
      superuser: '1',
      passwordConfirmation: 'demo',
    });
    expect(forged.status).toBe(403);
    const row = await server.db
      .selectFrom('users')
      .select('superuser')
      .where('login', '=', 'demo')
      .executeTakeFirst();
    expect(row?.superuser).toBe(0);
  });

  test('a form posted without its anti-CSRF token (or with a wrong one) changes nothing', async () => {
    const form = {
      login: 'no-csrf-user',
      email: 'x@example.org',
      password: goodPassword,
      passwordConfirmation: adminPassword,
    };
    for (const csrf of [{}, { csrf_token: 'forged' }] as Record<string, string>[]) {
      const created = await answer(await admin.postForm('/admin/users', { ...form, ...csrf }));
      expect(created.status).toBe(403);
      expect(created.html).toContain('This form has expired');
    }
    expect(await userExists('no-csrf-user')).toBe(false);

    const site = await answer(
      await admin.postForm('/admin/sites/1', {
        name: 'Renamed',
        urls: 'https://x.example',
        timezone: 'UTC',
        currency: 'EUR',
      }),
    );
    expect(site.status).toBe(403);
    expect(
      (await server.db.selectFrom('sites').select('name').where('idsite', '=', 1).executeTakeFirst())?.name,
    ).not.toBe('Renamed');

    const demoted = await answer(
      await admin.postForm('/admin/users/demo/access', {
        access_1: 'admin',
        passwordConfirmation: adminPassword,
      }),
    );
    expect(demoted.status).toBe(403);
    const access = await server.db
      .selectFrom('site_access')
      .select('access')
      .where('login', '=', 'demo')
      .where('idsite', '=', 1)
      .executeTakeFirst();
    expect(access?.access).toBe('view');
  });
});

describe('users', () => {
  test('the list: login, e-mail, super user, a summary of site access, created; a New user button', async () => {
    const page = await open(admin, '/admin/users');
    expect(page.status).toBe(200);
    expect(page.html).toContain('href="/admin/users/new"');
    const demoRow =
      /<tr>\s*<th scope="row"><a href="\/admin\/users\/demo">demo<\/a><\/th>([\s\S]*?)<\/tr>/.exec(
        page.html,
      )?.[1] ?? '';
    expect(demoRow).toContain('demo@example.org');
    expect(demoRow).toContain('2 sites: 1 view, 1 write');
    expect(demoRow).toMatch(/<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">/);
    const adminRow =
      /<a href="\/admin\/users\/admin">admin<\/a><\/th>([\s\S]*?)<\/tr>/.exec(page.html)?.[1] ?? '';
    expect(adminRow).toContain('Super user');
    expect(adminRow).toContain('Every site');
  });

  test('the new user form states the password rule', async () => {
    const page = await open(admin, '/admin/users/new');
    expect(page.html).toContain('At least 12 characters');
    expect(page.html).toContain('name="passwordConfirmation"');
  });

  test.each([
    ['a login with a space', { login: 'bad login' }, 'login', 'The login must be 2 to 100 characters'],
    ['a bad e-mail', { email: 'not-an-email' }, 'email', 'Please enter a valid e-mail address.'],
    [
      'a short password',
      { password: 'short-pw' },
      'password',
      'The password must be at least 12 characters long.',
    ],
    [
      'a common password',
      { password: 'password1234' },
      'password',
      passwordProblem('password1234') as string,
    ],
    [
      'a password that is the login',
      { login: 'longlogin12345', password: 'LongLogin12345' },
      'password',
      'The password must not be the login.',
    ],
    ['a taken login (any case)', { login: 'DEMO' }, 'login', 'The login "DEMO" is already taken.'],
    [
      'a wrong confirmation password',
      { passwordConfirmation: 'not-my-password' },
      'passwordConfirmation',
      'The current password you entered is not correct.',
    ],
  ])(
    'new user with %s: the message beside the field, typed values kept (never a password), nothing created',
    async (_, change, field, message) => {
      const typed = { login: 'newcomer', email: 'newcomer@example.org', superuser: '1', ...change };
      const response = await submit(admin, '/admin/users/new', 'name="login"', {
        ...typed,
        password: goodPassword,
        passwordConfirmation: adminPassword,
        ...change,
      });
      expect(response.status).toBe(field === 'login' && message.includes('taken') ? 409 : 400);
      expect(errorBeside(response.html, field)).toContain(message);
      expect(inputValue(response.html, 'login')).toBe(typed.login);
      expect(inputValue(response.html, 'email')).toBe(typed.email);
      expect(response.html).toMatch(/name="superuser" id="superuser-0" value="1" checked/);
      expect(inputValue(response.html, 'password')).toBe('');
      expect(inputValue(response.html, 'passwordConfirmation')).toBe('');
      for (const secret of [goodPassword, adminPassword, 'short-pw', 'password1234', 'not-my-password'])
        expect(response.html).not.toContain(secret);
      if (!message.includes('taken')) expect(await userExists(typed.login)).toBe(false);
    },
  );

  test('create: the user exists, the page for them says so, the audit has user.created', async () => {
    const created = await createUser('alice');
    expect(created.status).toBe(303);
    expect(created.location).toBe('/admin/users/alice?done=created');
    const page = await open(admin, created.location ?? '');
    expect(page.html).toContain('User created.');
    expect(page.html).toContain('alice@example.org');
    const rows = await auditRows('user.created');
    expect(rows.at(-1)).toMatchObject({ actor: 'admin', ip: '127.0.0.1' });
    expect(JSON.parse(rows.at(-1)?.detail ?? '{}')).toEqual({ login: 'alice', superuser: false });
    // The new user signs in with the password they were given.
    await signIn(server, 'alice', goodPassword);
  });

  test('a login with @, + and . is encoded in every URL and its pages work', async () => {
    const login = 'x.y+z@example.org';
    const created = await createUser(login, { email: 'xyz@example.org' });
    expect(created.location).toBe(`/admin/users/${encodeURIComponent(login)}?done=created`);
    const page = await open(admin, userUrl(login));
    expect(page.status).toBe(200);
    expect(page.html).toContain(`action="/admin/users/${encodeURIComponent(login)}/access"`);
    const list = await open(admin, '/admin/users');
    expect(list.html).toContain(`href="/admin/users/${encodeURIComponent(login)}"`);
    expect((await open(admin, '/admin/users/nobody-here')).status).toBe(404);
  });

  test('e-mail: a bad one is refused beside the field, kept as typed; a good one is saved', async () => {
    await createUser('emma');
    const bad = await submit(admin, userUrl('emma'), 'name="email"', { email: 'emma at example' });
    expect(bad.status).toBe(400);
    expect(errorBeside(bad.html, 'email')).toBe('Please enter a valid e-mail address.');
    expect(inputValue(bad.html, 'email')).toBe('emma at example');
    const good = await submit(admin, userUrl('emma'), 'name="email"', { email: 'emma@example.net' });
    expect(good.location).toBe('/admin/users/emma?done=email');
    expect((await open(admin, userUrl('emma'))).html).toContain('value="emma@example.net"');
  });

  test('access per site: saved with the password; a wrong password or an unknown level changes nothing', async () => {
    await createUser('viewer1');
    const wrong = await submit(admin, userUrl('viewer1'), 'name="access_', {
      access_2: 'view',
      access_3: 'admin',
      passwordConfirmation: 'wrong-password',
    });
    expect(wrong.status).toBe(400);
    expect(errorBeside(wrong.html, 'access-passwordConfirmation')).toBe(
      'The current password you entered is not correct.',
    );
    expect(selected(wrong.html, 'access-2')).toBe('view');
    expect(selected(wrong.html, 'access-3')).toBe('admin');
    const unknown = await submit(admin, userUrl('viewer1'), 'name="access_', {
      access_2: 'owner',
      passwordConfirmation: adminPassword,
    });
    expect(unknown.status).toBe(400);
    expect(errorBeside(unknown.html, 'access')).toBe('The access must be none, view, write or admin.');
    expect(
      await server.db.selectFrom('site_access').selectAll().where('login', '=', 'viewer1').execute(),
    ).toEqual([]);

    const saved = await submit(admin, userUrl('viewer1'), 'name="access_', {
      access_2: 'view',
      access_3: 'admin',
      passwordConfirmation: adminPassword,
    });
    expect(saved.location).toBe('/admin/users/viewer1?done=access');
    const page = await open(admin, userUrl('viewer1'));
    expect(selected(page.html, 'access-1')).toBe('none');
    expect(selected(page.html, 'access-2')).toBe('view');
    expect(selected(page.html, 'access-3')).toBe('admin');
    expect((await open(admin, '/admin/users')).html).toContain('2 sites: 1 view, 1 admin');
    const changes = (await auditRows('user.access_changed')).map((row) => JSON.parse(row.detail));
    expect(changes).toEqual(
      expect.arrayContaining([
        { login: 'viewer1', idsite: 2, access: 'view' },
        { login: 'viewer1', idsite: 3, access: 'admin' },
      ]),
    );
    // Removing one site's access.
    await submit(admin, userUrl('viewer1'), 'name="access_', {
      access_3: 'none',
      passwordConfirmation: adminPassword,
    });
    expect((await open(admin, '/admin/users')).html).toContain('1 site: 1 view');
  });

  test('the last super user: the forms say it cannot be demoted or deleted, and the service refuses', async () => {
    const page = await open(admin, userUrl('admin'));
    expect(page.html).toContain('The last super user cannot lose super user access');
    expect(page.html).toContain('The last super user cannot be deleted.');
    expect(page.html).not.toContain(`href="${userUrl('admin', '/delete')}"`);
    const csrf = readForm(page.html, 'name="email"').fields.csrf_token ?? '';

    const demoted = await answer(
      await admin.postForm(userUrl('admin', '/superuser'), {
        csrf_token: csrf,
        superuser: '0',
        passwordConfirmation: adminPassword,
      }),
    );
    expect(demoted.status).toBe(409);
    expect(demoted.html).toContain('The last super user cannot lose super user access.');

    const deletePage = await open(admin, userUrl('admin', '/delete'));
    expect(deletePage.html).toContain('the last super user cannot be deleted');
    expect(deletePage.html).not.toContain('name="passwordConfirmation"');
    const deleted = await answer(
      await admin.postForm(userUrl('admin', '/delete'), {
        csrf_token: csrf,
        passwordConfirmation: adminPassword,
      }),
    );
    expect(deleted.status).toBe(409);
    expect(deleted.html).toContain('The last super user cannot be deleted.');
    const row = await server.db
      .selectFrom('users')
      .select('superuser')
      .where('login', '=', 'admin')
      .executeTakeFirst();
    expect(row?.superuser).toBe(1);
  });

  test('super user status: granted and removed with the password; a wrong password changes nothing', async () => {
    await createUser('bob');
    const wrong = await submit(admin, userUrl('bob'), 'name="superuser"', {
      passwordConfirmation: 'nope-nope-nope',
    });
    expect(wrong.status).toBe(400);
    expect(errorBeside(wrong.html, 'superuser-passwordConfirmation')).toBe(
      'The current password you entered is not correct.',
    );
    const granted = await submit(admin, userUrl('bob'), 'name="superuser"', {
      passwordConfirmation: adminPassword,
    });
    expect(granted.location).toBe('/admin/users/bob?done=superuser');
    const page = await open(admin, userUrl('bob'));
    expect(page.html).toContain('Remove super user access');
    // Two super users now: admin may be demoted (the form is offered), and bob is demoted back.
    expect((await open(admin, userUrl('admin'))).html).toContain('Remove super user access');
    const removed = await submit(admin, userUrl('bob'), 'name="superuser"', {
      passwordConfirmation: adminPassword,
    });
    expect(removed.status).toBe(303);
    const row = await server.db
      .selectFrom('users')
      .select('superuser')
      .where('login', '=', 'bob')
      .executeTakeFirst();
    expect(row?.superuser).toBe(0);
  });

  test('reset password: the policy beside the field (short, common); a wrong password changes nothing; then it works and signs the user out', async () => {
    await createUser('carol');
    const carol = await signIn(server, 'carol', goodPassword);
    for (const [password, message] of [
      ['tiny', 'The password must be at least 12 characters long.'],
      ['qwertyuiop123', passwordProblem('qwertyuiop123') as string],
    ] as const) {
      const refused = await submit(admin, userUrl('carol'), 'name="password"', {
        password,
        passwordConfirmation: adminPassword,
      });
      expect(refused.status).toBe(400);
      expect(errorBeside(refused.html, 'password')).toBe(message);
      expect(refused.html).not.toContain(password);
    }
    const wrong = await submit(admin, userUrl('carol'), 'name="password"', {
      password: 'a brand new passphrase',
      passwordConfirmation: 'wrong-wrong',
    });
    expect(wrong.status).toBe(400);
    expect(errorBeside(wrong.html, 'password-passwordConfirmation')).toBe(
      'The current password you entered is not correct.',
    );
    await signIn(server, 'carol', goodPassword);

    const reset = await submit(admin, userUrl('carol'), 'name="password"', {
      password: 'a brand new passphrase',
      passwordConfirmation: adminPassword,
    });
    expect(reset.location).toBe('/admin/users/carol?done=password');
    await signIn(server, 'carol', 'a brand new passphrase');
    // Carol's earlier session ended.
    const login = await open(carol, '/login');
    expect(login.html).toContain('Sign in to Matomo');
  });

  test('delete: the confirmation page lists the applications that go too; a wrong password keeps the user; then all is gone', async () => {
    await createUser('dave');
    await registerClient(
      server.db,
      {
        clientId: 'dave_tool',
        name: "Dave's tool",
        secret: 'dave-tool-secret',
        grantTypes: ['client_credentials'],
        scope: 'matomo:read',
        ownerLogin: 'dave',
      },
      server.clock(),
    );
    const userPage = await open(admin, userUrl('dave'));
    expect(userPage.html).toContain(`href="${userUrl('dave', '/delete')}"`);
    const confirmation = await open(admin, userUrl('dave', '/delete'));
    expect(confirmation.html).toContain('Delete the user dave?');
    expect(confirmation.html).toContain('Dave&#39;s tool (<code>dave_tool</code>)');

    const wrong = await submit(admin, userUrl('dave', '/delete'), 'name="passwordConfirmation"', {
      passwordConfirmation: 'not-it-at-all',
    });
    expect(wrong.status).toBe(400);
    expect(errorBeside(wrong.html, 'passwordConfirmation')).toBe(
      'The current password you entered is not correct.',
    );
    expect(await userExists('dave')).toBe(true);

    const deleted = await submit(admin, userUrl('dave', '/delete'), 'name="passwordConfirmation"', {
      passwordConfirmation: adminPassword,
    });
    expect(deleted.location).toBe('/admin/users?done=deleted');
    expect(await userExists('dave')).toBe(false);
    expect(
      await server.db
        .selectFrom('clients')
        .select('client_id')
        .where('client_id', '=', 'dave_tool')
        .executeTakeFirst(),
    ).toBeUndefined();
    expect((await open(admin, '/admin/users?done=deleted')).html).toContain('User deleted.');
    expect((await open(admin, userUrl('dave'))).status).toBe(404);
  });

  test('too many wrong confirmation passwords: 429 with Retry-After, the message beside the password', async () => {
    const strict = await startTestServer(
      {},
      {
        rateLimits: {
          loginPerIp: { limit: 1000, windowMs: 60_000 },
          loginPerUser: { limit: 2, windowMs: 15 * 60_000 },
          clientAuthenticationPerIp: { limit: 1000, windowMs: 60_000 },
        },
      },
    );
    try {
      const agent = await signIn(strict, 'admin', adminPassword);
      const statuses: number[] = [];
      let last: Answer | undefined;
      for (let i = 0; i < 3; i++) {
        last = await submit(agent, '/admin/users/new', 'name="login"', {
          login: 'guessed',
          email: 'guessed@example.org',
          password: goodPassword,
          passwordConfirmation: `wrong-${i}`,
        });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([400, 400, 429]);
      expect(Number(last?.headers.get('Retry-After'))).toBeGreaterThan(0);
      expect(errorBeside(last?.html ?? '', 'passwordConfirmation')).toMatch(/^Too many wrong passwords/);
      expect(inputValue(last?.html ?? '', 'login')).toBe('guessed');
    } finally {
      await strict.stop();
    }
  });
});

describe('websites', () => {
  const site = {
    name: 'Shop',
    urls: 'https://shop.example.org\nhttps://www.shop.example.org',
    timezone: 'Europe/Paris',
    currency: 'EUR',
  };

  test('the list: id, name, main URL, timezone, currency, created', async () => {
    const page = await open(admin, '/admin/sites');
    expect(page.status).toBe(200);
    expect(page.html).toContain('href="/admin/sites/new"');
    expect(page.html).toMatch(
      /<td>1<\/td>\s*<th scope="row"><a href="\/admin\/sites\/1">[^<]+<\/a><\/th>\s*<td><code>https:\/\/[^<]+<\/code><\/td>\s*<td>[A-Za-z_/]+<\/td>\s*<td>[A-Z]{3}<\/td>\s*<td><time/,
    );
  });

  test.each([
    ['an empty name', { name: '' }, 'name', "The website name can't be empty."],
    [
      'a URL that is not one',
      { urls: 'https://ok.example.org\nnot a url' },
      'urls',
      // Matomo cleans the URL (a scheme added) before checking it, and names it as cleaned.
      "The url 'http://not a url' is not a valid URL.",
    ],
    ['no URL', { urls: '  \n ' }, 'urls', 'You must specify at least one URL for the website.'],
    [
      'an unknown timezone',
      { timezone: 'Mars/Olympus_Mons' },
      'timezone',
      'The timezone "Mars/Olympus_Mons" is not valid. Please enter a valid timezone.',
    ],
    [
      'a bad currency',
      { currency: 'euro' },
      'currency',
      'The currency "euro" is not valid. Please enter a valid currency symbol (eg. USD, EUR, etc.)',
    ],
  ])(
    'new website with %s: the message beside the field, typed values kept, nothing added',
    async (_, change, field, message) => {
      const before = (await server.db.selectFrom('sites').select('idsite').execute()).length;
      const typed = { ...site, ...change };
      const response = await submit(admin, '/admin/sites/new', 'name="urls"', typed);
      expect(response.status).toBe(400);
      expect(errorBeside(response.html, field)).toBe(message);
      expect(inputValue(response.html, 'name')).toBe(typed.name);
      const textarea = /<textarea id="urls"[^>]*>([\s\S]*?)<\/textarea>/.exec(response.html)?.[1];
      expect(decode(textarea ?? '')).toBe(typed.urls);
      expect(selected(response.html, 'timezone')).toBe(typed.timezone);
      expect(selected(response.html, 'currency')).toBe(typed.currency);
      expect((await server.db.selectFrom('sites').select('idsite').execute()).length).toBe(before);
    },
  );

  test('add then edit: no password asked, the API sees the change, the audit has site.created and site.updated', async () => {
    const form = await open(admin, '/admin/sites/new');
    expect(form.html).not.toContain('name="passwordConfirmation"');
    expect(selected(form.html, 'timezone')).toBe('UTC');
    const added = await submit(admin, '/admin/sites/new', 'name="urls"', site);
    expect(added.status).toBe(303);
    const idsite = Number(/^\/admin\/sites\/(\d+)\?done=created$/.exec(added.location ?? '')?.[1]);
    expect(idsite).toBeGreaterThan(3);
    const edit = await open(admin, `/admin/sites/${idsite}?done=created`);
    expect(edit.html).toContain('Website added.');
    expect(decode(/<textarea id="urls"[^>]*>([\s\S]*?)<\/textarea>/.exec(edit.html)?.[1] ?? '')).toBe(
      site.urls,
    );

    const refused = await submit(admin, `/admin/sites/${idsite}`, 'name="urls"', { ...site, name: '   ' });
    expect(refused.status).toBe(400);
    expect(errorBeside(refused.html, 'name')).toBe("The website name can't be empty.");

    const saved = await submit(admin, `/admin/sites/${idsite}`, 'name="urls"', {
      ...site,
      name: 'Shop (new)',
      currency: 'GBP',
      timezone: 'Asia/Tokyo',
    });
    expect(saved.location).toBe(`/admin/sites/${idsite}?done=updated`);
    const api = await callAsAdmin(server, 'SitesManager.getSiteFromId', { idSite: String(idsite) });
    expect(api.body).toMatchObject({
      name: 'Shop (new)',
      main_url: 'https://shop.example.org',
      currency: 'GBP',
      timezone: 'Asia/Tokyo',
    });

    const created = (await auditRows('site.created')).at(-1);
    expect(created).toMatchObject({ actor: 'admin', ip: '127.0.0.1' });
    expect(JSON.parse(created?.detail ?? '{}')).toEqual({ idsite, name: 'Shop' });
    const updated = (await auditRows('site.updated')).at(-1);
    expect(JSON.parse(updated?.detail ?? '{}')).toMatchObject({ idsite });
  });

  test('the API records site.created and site.updated too (one service)', async () => {
    const added = await callAsAdmin(server, 'SitesManager.addSite', {
      siteName: 'From the API',
      urls: 'https://api.example.org',
    });
    const idsite = (added.body as { value: number }).value;
    await callAsAdmin(server, 'SitesManager.updateSite', {
      idSite: String(idsite),
      siteName: 'From the API, renamed',
    });
    expect(JSON.parse((await auditRows('site.created')).at(-1)?.detail ?? '{}')).toEqual({
      idsite,
      name: 'From the API',
    });
    expect(JSON.parse((await auditRows('site.updated')).at(-1)?.detail ?? '{}')).toEqual({
      idsite,
      changed: ['name'],
    });
  });

  test('an unknown or malformed site id is 404', async () => {
    expect((await open(admin, '/admin/sites/999')).status).toBe(404);
    expect((await open(admin, '/admin/sites/abc')).status).toBe(404);
  });
});

describe('the audit log', () => {
  /** The entries' rows of an audit page: their cells' text. */
  function rowsOf(html: string): string[][] {
    const body = /<table class="audit">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
    return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
      [...(row[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) =>
        decode(
          (cell[1] ?? '')
            .replace(/<[^>]+>/g, '')
            .replace(/\s+/g, ' ')
            .trim(),
        ),
      ),
    );
  }

  test('filters by event and user, 50 a page newest first, the filters kept in the previous/next links', async () => {
    await createUser('paged');
    for (let i = 0; i < 55; i++) {
      server.clock.advance(1000);
      const saved = await submit(admin, userUrl('paged'), 'name="email"', { email: `paged${i}@example.org` });
      expect(saved.status).toBe(303);
    }
    const first = await open(admin, '/admin/audit?event=user.updated&user=admin');
    expect(first.status).toBe(200);
    const matching = (await auditRows('user.updated')).filter((row) => row.actor === 'admin').length;
    expect(matching).toBeGreaterThanOrEqual(55);
    expect(matching).toBeLessThan(100);
    expect(first.html).toContain(`${matching} entries match`);
    const rows = rowsOf(first.html);
    expect(rows).toHaveLength(50);
    for (const row of rows) {
      expect(row[1]).toBe('admin');
      expect(row[2]).toBe('user.updated');
      expect(row[4]).toBe('paged');
      expect(row[5]).toBe('127.0.0.1');
    }
    const times = rows.map((row) => row[0] ?? '');
    expect(times[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect([...times].sort().reverse()).toEqual(times);
    expect(first.html).toContain('Page 1 of 2');
    expect(selected(first.html, 'event')).toBe('user.updated');
    expect(inputValue(first.html, 'user')).toBe('admin');
    const next = /<a href="([^"]*)" rel="next">/.exec(first.html)?.[1];
    expect(decode(next ?? '')).toBe('/admin/audit?event=user.updated&user=admin&page=2');
    expect(first.html).not.toContain('rel="prev"');

    const second = await open(admin, decode(next ?? ''));
    expect(rowsOf(second.html)).toHaveLength(matching - 50);
    expect(second.html).toContain('Page 2 of 2');
    expect(second.html).not.toContain('rel="next"');
    expect(decode(/<a href="([^"]*)" rel="prev">/.exec(second.html)?.[1] ?? '')).toBe(
      '/admin/audit?event=user.updated&user=admin',
    );
    // Newest first across pages too: page 2 is older than page 1.
    expect((rowsOf(second.html)[0]?.[0] ?? '') < (times.at(-1) ?? '')).toBe(true);
  });

  test('the user filter finds what was done to a user, not only what they did', async () => {
    await createUser('subject');
    for (const email of ['subject1@example.org', 'subject2@example.org']) {
      const saved = await submit(admin, userUrl('subject'), 'name="email"', { email });
      expect(saved.status).toBe(303);
    }
    const rows = rowsOf((await open(admin, '/admin/audit?user=subject')).html);
    // `subject` did nothing: the admin created them and changed their e-mail twice.
    expect(rows.map((row) => [row[1], row[2], row[4]])).toEqual([
      ['admin', 'user.updated', 'subject'],
      ['admin', 'user.updated', 'subject'],
      ['admin', 'user.created', 'subject'],
    ]);
  });

  test('filters by client; details as key: value pairs; an unknown event is refused, not ignored', async () => {
    const created = await callAsAdmin(server, 'OAuth2.createClient', {
      name: 'Audited app',
      'grantTypes[]': ['client_credentials'],
      scope: 'matomo:read',
      type: 'confidential',
    });
    const clientId = (created.body as { client: { client_id: string } }).client.client_id;
    const page = await open(admin, `/admin/audit?client=${encodeURIComponent(clientId)}`);
    const rows = rowsOf(page.html);
    expect(rows.length).toBeGreaterThanOrEqual(1);
    for (const row of rows) expect(row[3]).toBe(clientId);
    const createdRow = rows.find((row) => row[2] === 'client.created');
    expect(createdRow?.[6]).toContain('scope: matomo:read');
    expect(createdRow?.[6]).toContain('grant_types: client_credentials');

    const unknown = await open(admin, '/admin/audit?event=nothing.like.this');
    expect(unknown.status).toBe(400);
    expect(errorBeside(unknown.html, 'event')).toBe('There is no event "nothing.like.this".');
  });

  test('never shows a secret or a password: a confidential client created and its secret rotated, users created', async () => {
    const created = await callAsAdmin(server, 'OAuth2.createClient', {
      name: 'Secret keeper',
      'grantTypes[]': ['client_credentials'],
      scope: 'matomo:read',
      type: 'confidential',
    });
    const { client, secret } = created.body as { client: { client_id: string }; secret: string };
    expect(secret.length).toBeGreaterThan(20);
    const rotated = await callAsAdmin(server, 'OAuth2.rotateSecret', { clientId: client.client_id });
    const newSecret = (rotated.body as { secret: string }).secret;
    await createUser('secretive');

    const total = Number(/(\d+) entries/.exec((await open(admin, '/admin/audit')).html)?.[1]);
    const pages = Math.ceil(total / 50);
    expect(pages).toBeGreaterThan(1);
    for (let page = 1; page <= pages; page++) {
      const { html } = await open(admin, `/admin/audit?page=${page}`);
      for (const value of [
        secret,
        newSecret,
        adminPassword,
        goodPassword,
        'admin-tool-secret',
        'dave-tool-secret',
      ])
        expect(html).not.toContain(value);
    }
    const clientPage = await open(admin, `/admin/audit?client=${client.client_id}`);
    expect(rowsOf(clientPage.html).map((row) => row[2])).toEqual(['client.secret_rotated', 'client.created']);
  });
});
