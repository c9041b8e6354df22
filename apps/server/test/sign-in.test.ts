// The sign-in page: session cookie, rate limiting, sign-out.
import { createAgent, readForm } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(
    {},
    {
      rateLimits: {
        loginPerIp: { limit: 8, windowMs: 15 * 60_000 },
        loginPerUser: { limit: 3, windowMs: 15 * 60_000 },
        clientAuthenticationPerIp: { limit: 100, windowMs: 60_000 },
      },
    },
  );
});
afterAll(() => server.stop());

async function attempt(agent = createAgent(server.url), login = 'demo', password = 'wrong') {
  const page = await agent.get('/login');
  const form = readForm(await page.text(), 'password');
  return agent.postForm('/login', { ...form.fields, login, password });
}

/** A Set-Cookie line's attributes, names and values lower-cased (RFC 6265 §5.2: names are case-insensitive). */
function attributes(line: string | undefined): Record<string, string | true> {
  if (line === undefined) throw new Error('no such cookie was set');
  return Object.fromEntries(
    line
      .split(';')
      .slice(1)
      .map((part) => {
        const [name = '', value] = part.trim().split('=');
        return [name.toLowerCase(), value === undefined ? true : value.toLowerCase()];
      }),
  );
}

describe('signing in', () => {
  test('sets an HttpOnly, SameSite=Lax session cookie (not Secure over http)', async () => {
    const response = await attempt(createAgent(server.url), 'admin', 'admin-password-for-tests');
    expect(response.status).toBe(303);
    const cookie = attributes(response.headers.getSetCookie().find((line) => line.startsWith('mo_session=')));
    expect(cookie.httponly).toBe(true);
    expect(cookie.samesite).toBe('lax');
    expect(cookie.secure).toBeUndefined();
  });

  test('under an https issuer the cookies are Secure and __Host- prefixed', async () => {
    const secure = await startTestServer({ issuer: 'https://matomo.example.org' });
    try {
      const response = await attempt(createAgent(secure.url), 'demo', 'demo');
      const cookie = attributes(
        response.headers.getSetCookie().find((line) => line.startsWith('__Host-mo_session=')),
      );
      expect(cookie).toMatchObject({ path: '/', httponly: true, samesite: 'lax', secure: true });
      expect(cookie.domain).toBeUndefined();
    } finally {
      await secure.stop();
    }
  });

  test('a wrong password: 401 and the form again, saying so, without telling which part was wrong', async () => {
    const wrongPassword = await attempt(createAgent(server.url), 'admin', 'nope');
    const unknownUser = await attempt(createAgent(server.url), 'nobody-at-all', 'nope');
    for (const response of [wrongPassword, unknownUser]) {
      expect(response.status).toBe(401);
      const html = await response.text();
      expect(html).toContain('Wrong username or password.');
      expect(html).toContain('name="csrf_token"');
    }
  });

  test('repeated failures for one login: 429 with Retry-After, even with the right password', async () => {
    const agent = createAgent(server.url);
    for (let i = 0; i < 3; i++) expect((await attempt(agent, 'ratelimited', 'wrong')).status).toBe(401);
    const blocked = await attempt(agent, 'ratelimited', 'wrong');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(await blocked.text()).toContain('Too many failed sign-ins');
  });

  test('repeated failures from one address: 429 for every login', async () => {
    const agent = createAgent(server.url);
    for (let i = 0; i < 8; i++) await attempt(agent, `user-${i}`, 'wrong');
    expect((await attempt(agent, 'demo', 'demo')).status).toBe(429);
    server.clock.advance(15 * 60_000 + 1000);
    expect((await attempt(agent, 'demo', 'demo')).status).toBe(303);
  });

  test('a burst of concurrent guesses cannot overtake the limit (regression: the check raced the password hash)', async () => {
    const burst = await startTestServer(
      {},
      {
        rateLimits: {
          loginPerIp: { limit: 100, windowMs: 60_000 },
          loginPerUser: { limit: 3, windowMs: 60_000 },
          loginPerAccount: { limit: 100, windowMs: 60_000 },
          clientAuthenticationPerIp: { limit: 100, windowMs: 60_000 },
        },
      },
    );
    try {
      const agent = createAgent(burst.url);
      const form = readForm(await (await agent.get('/login')).text(), 'password');
      const passwords = [...Array.from({ length: 30 }, (_, i) => `guess-${i}`), 'demo'];
      const statuses = await Promise.all(
        passwords.map(
          async (password) =>
            (await agent.postForm('/login', { ...form.fields, login: 'demo', password })).status,
        ),
      );
      const verified = statuses.filter((status) => status === 401 || status === 303);
      expect(verified.length).toBeLessThanOrEqual(3);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(28);
      await burst.flushAuditLog();
      const logged = await burst.db
        .selectFrom('audit_log')
        .select('event')
        .where('event', '=', 'login.rate_limited')
        .execute();
      expect(logged.length).toBe(1);
    } finally {
      await burst.stop();
    }
  });

  test('failures and successes are in the audit log, without the password', async () => {
    await attempt(createAgent(server.url), 'demo', 'a-wrong-password');
    await server.flushAuditLog();
    const rows = await server.db
      .selectFrom('audit_log')
      .selectAll()
      .where('event', 'in', ['login.failed', 'login.succeeded'])
      .execute();
    expect(rows.some((row) => row.event === 'login.failed' && row.actor === 'demo')).toBe(true);
    expect(rows.some((row) => row.event === 'login.succeeded')).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('a-wrong-password');
  });

  test('a login that is no user is not recorded: it may be a password typed into the wrong field', async () => {
    await attempt(createAgent(server.url), 'my-Secret-passphrase', 'whatever-else');
    await server.flushAuditLog();
    const rows = await server.db
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .where('event', '=', 'login.failed')
      .orderBy('id', 'desc')
      .limit(1)
      .execute();
    expect(rows).toEqual([{ actor: null, detail: '{"unknown_login":true}' }]);
  });
});

describe('signing out', () => {
  test('needs the session’s anti-CSRF token, then ends the session', async () => {
    const agent = createAgent(server.url);
    expect((await attempt(agent, 'demo', 'demo')).status).toBe(303);
    const signedIn = await agent.get('/login');
    const html = await signedIn.text();
    expect(html).toContain('You are signed in to Matomo as <strong>demo</strong>');
    const form = readForm(html, 'Sign out');
    expect((await agent.postForm('/logout', { csrf_token: 'forged' })).status).toBe(403);
    const out = await agent.postForm('/logout', form.fields);
    expect(out.status).toBe(303);
    expect(await (await agent.get('/login')).text()).toContain('Sign in to Matomo');
  });
});
