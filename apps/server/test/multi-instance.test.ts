// Several instances, one PostgreSQL database: three real server processes, started at once on
// one schema, each request sent to whichever instance the scenario names (as a load balancer
// would spread them), and every security rule still holds.
import {
  clientCredentialsToken,
  createAgent,
  postToken,
  readForm,
  signInForTokens,
} from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Db, openDatabaseAt } from '../src/db/database';
import { createTestSchema, testDatabaseUrl } from './support/database-under-test';
import { adminPassword, demoEnv, startInstances, stopServer } from './support/instances';
import {
  apiStatus,
  demoApp,
  kidOf,
  raceOneCode,
  refreshAt,
  signInStatus,
  wrongPasswordBurst,
} from './support/security-races';
import { runServer, type ServerProcess, serverEnv } from './support/server-process';
import { answerOnceBoundPassed } from './support/token-state-bound';

const onPostgres = testDatabaseUrl !== undefined;
const title = onPostgres
  ? 'three instances on one PostgreSQL database'
  : 'three instances on one PostgreSQL database (skipped: TEST_DATABASE_URL is not set)';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The API's status for a token on another instance than the one that ended it (see `answerOnceBoundPassed`). */
function statusOnceBoundPassed(url: string, token: string, since: number): Promise<number> {
  return answerOnceBoundPassed(
    since,
    () => apiStatus(url, token),
    (status) => status === 401,
  );
}

interface Tokens {
  access_token: string;
  refresh_token: string;
}

describe.skipIf(!onPostgres)(title, () => {
  let databaseUrl: string;
  let env: Record<string, string>;
  let servers: ServerProcess[] = [];
  let urls: string[] = [];
  /** A, B and C: the three instances' base URLs. */
  const at = (index: 0 | 1 | 2) => urls[index] as string;
  let db: Db;

  beforeAll(async () => {
    databaseUrl = await createTestSchema(testDatabaseUrl as string);
    // TRUST_PROXY: the instances stand behind a proxy on loopback, which names the client's address.
    env = demoEnv({ DATABASE_URL: databaseUrl, TRUST_PROXY: 'loopback' });
    servers = await startInstances(3, env);
    urls = servers.map((server) => server.url);
    db = openDatabaseAt({ kind: 'postgres', url: databaseUrl, poolSize: 2 });
  }, 60_000);

  afterAll(async () => {
    await db?.destroy();
    await Promise.all(servers.map(stopServer));
  });

  test('started at once, they migrated and seeded one database once', async () => {
    expect(new Set(urls).size).toBe(3);
    const count = async (table: 'signing_keys' | 'users' | 'clients') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('signing_keys')).toBe(1);
    expect(
      await db
        .selectFrom('users')
        .select('login')
        .where('login', 'in', ['admin', 'demo'])
        .orderBy('login')
        .execute(),
    ).toEqual([{ login: 'admin' }, { login: 'demo' }]);
    expect(
      await db.selectFrom('clients').select('client_id').where('client_id', '=', demoApp.client_id).execute(),
    ).toHaveLength(1);
  });

  test('eight parallel redemptions of one code over the instances: exactly one token response, and the replay revokes what it issued', async () => {
    const { results, winner } = await raceOneCode(urls, 8);
    expect(results.map((result) => result.status).sort()).toEqual([200, 400, 400, 400, 400, 400, 400, 400]);
    for (const result of results.filter((each) => each.status !== 200))
      expect(result.body.error).toBe('invalid_grant');
    const tokens = winner as unknown as Tokens;
    for (const url of urls) expect(await apiStatus(url, tokens.access_token), url).toBe(401);
    for (const url of urls) {
      const refreshed = await refreshAt(url, tokens.refresh_token);
      expect(refreshed.status, url).toBe(400);
      expect(refreshed.body.error).toBe('invalid_grant');
    }
  });

  test('a refresh token used on A, then again on B, revokes the grant on every instance', async () => {
    const first = (await signInForTokens(at(0))) as unknown as Tokens;
    const rotated = await refreshAt(at(0), first.refresh_token);
    expect(rotated.status).toBe(200);
    const next = rotated.body as unknown as Tokens;
    expect(await apiStatus(at(2), next.access_token)).toBe(200);

    const reused = await refreshAt(at(1), first.refresh_token);
    const ended = performance.now();
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');
    for (const url of urls) {
      expect(await statusOnceBoundPassed(url, next.access_token, ended), url).toBe(401);
      const refreshed = await refreshAt(url, next.refresh_token);
      expect(refreshed.body.error, url).toBe('invalid_grant');
    }
  });

  test('one refresh token sent to A and B at once: one wins, the other is reuse, and the grant ends everywhere', async () => {
    const first = (await signInForTokens(at(0))) as unknown as Tokens;
    const results = await Promise.all([
      refreshAt(at(0), first.refresh_token),
      refreshAt(at(1), first.refresh_token),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual([200, 400]);
    const winner = results.find((result) => result.status === 200)?.body as unknown as Tokens;
    for (const url of urls) {
      expect(await apiStatus(url, winner.access_token), url).toBe(401);
      expect((await refreshAt(url, winner.refresh_token)).body.error, url).toBe('invalid_grant');
    }
  });

  test('a token revoked on B is refused by the API on B at once, and on A and C within the bound', async () => {
    const tokens = (await signInForTokens(at(0))) as unknown as Tokens;
    // Every instance has seen the token good first: none may keep believing it.
    for (const url of urls) expect(await apiStatus(url, tokens.access_token), url).toBe(200);
    const revoked = await postToken(
      at(1),
      { token: tokens.access_token, token_type_hint: 'access_token', ...credentials() },
      { path: '/oauth2/revoke' },
    );
    const ended = performance.now();
    expect(revoked.status).toBe(200);
    expect(await apiStatus(at(1), tokens.access_token)).toBe(401);
    for (const url of urls)
      expect(await statusOnceBoundPassed(url, tokens.access_token, ended), url).toBe(401);
  });

  test('a refresh token revoked on C is invalid_grant on A', async () => {
    const tokens = (await signInForTokens(at(1))) as unknown as Tokens;
    const revoked = await postToken(
      at(2),
      { token: tokens.refresh_token, token_type_hint: 'refresh_token', ...credentials() },
      { path: '/oauth2/revoke' },
    );
    expect(revoked.status).toBe(200);
    expect((await refreshAt(at(0), tokens.refresh_token)).body.error).toBe('invalid_grant');
  });

  test('a key rotated by the CLI is published by every instance, signs on every one after the lead time, and each verifies the others', async () => {
    const lead = 4;
    const jwksKids = async (url: string) => {
      const response = await fetch(new URL('/oauth2/jwks', url));
      return ((await response.json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);
    };
    const [oldKid] = await jwksKids(at(0));
    const rotated = runServer(['keys', 'rotate', '--json'], {
      env: serverEnv({ ...env, KEY_ROTATION_LEAD: String(lead) }),
    });
    expect(rotated.status, rotated.stderr).toBe(0);
    const { kid, signs_from } = JSON.parse(rotated.stdout) as { kid: string; signs_from: string };
    const signsFrom = Date.parse(signs_from);
    expect(kid).not.toBe(oldKid);

    for (const server of servers) server.child.kill('SIGHUP');
    for (const url of urls) {
      for (let tries = 0; !(await jwksKids(url)).includes(kid); tries++) {
        expect(tries, `${url} does not publish ${kid}`).toBeLessThan(100);
        await sleep(100);
      }
      expect(await jwksKids(url), url).toContain(oldKid);
    }
    // Published first, signing later: until the lead time has passed, the old key signs.
    if (Date.now() < signsFrom - 1000) {
      for (const url of urls)
        expect(kidOf(await clientCredentialsToken(url, demoApp.client_id, demoApp.client_secret)), url).toBe(
          oldKid,
        );
    }
    await sleep(Math.max(0, signsFrom - Date.now()) + 200);
    for (const url of urls) {
      const token = await clientCredentialsToken(url, demoApp.client_id, demoApp.client_secret);
      expect(kidOf(token), url).toBe(kid);
      for (const other of urls)
        expect(await apiStatus(other, token), `issued by ${url}, sent to ${other}`).toBe(200);
    }
  });

  test('a sign-in and its anti-CSRF tokens work whichever instance answers each request', async () => {
    const agent = createAgent(at(0));
    const on = (index: 0 | 1 | 2, path: string) => new URL(path, at(index)).href;
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: demoApp.client_id,
      redirect_uri: demoApp.redirect_uri,
      scope: 'matomo:read',
      state: 'across-instances',
      prompt: 'consent',
    });
    // The sign-in form from A, posted to B.
    const signInPage = await agent.get(on(0, `/oauth2/authorize?${query}`));
    const signInForm = readForm(await signInPage.text(), 'password');
    const signedIn = await agent.postForm(on(1, '/login'), {
      ...signInForm.fields,
      login: 'demo',
      password: 'demo',
    });
    expect(signedIn.status).toBe(303);
    // The session B opened, on C: the consent page, not the sign-in form again.
    const consentPage = await agent.get(on(2, signedIn.headers.get('Location') ?? ''));
    const html = await consentPage.text();
    expect(consentPage.status, html).toBe(200);
    const consent = readForm(html, 'decision');
    const decision = {
      csrf_token: consent.fields.csrf_token ?? '',
      decision: 'allow',
      selected_scope: consent.fields.selected_scope ?? 'matomo:read',
    };
    // A forged anti-CSRF token is refused on B as it would be on C.
    const forged = await agent.postForm(on(1, consent.action), { ...decision, csrf_token: 'forged' });
    expect(forged.status).toBe(403);
    // The consent page from C, posted to A.
    const decided = await agent.postForm(on(0, consent.action), decision);
    expect(decided.status).toBe(303);
    const redirect = new URL(decided.headers.get('Location') ?? '');
    expect(redirect.searchParams.get('state')).toBe('across-instances');
    const redeemed = await postToken(at(1), {
      grant_type: 'authorization_code',
      ...demoApp,
      code: redirect.searchParams.get('code') ?? '',
    });
    expect(redeemed.status).toBe(200);
  });

  test('the audit log receives every instance’s entries', async () => {
    const addresses = ['192.0.2.1', '192.0.2.2', '192.0.2.3'];
    for (const [index, url] of urls.entries()) {
      const from = { 'X-Forwarded-For': addresses[index] as string };
      expect(await signInStatus(url, 'demo', 'demo', from)).toBe(303);
    }
    // Committed before the answer was sent: no wait.
    const rows = await db
      .selectFrom('audit_log')
      .select('ip')
      .where('event', '=', 'login.succeeded')
      .where('ip', 'in', addresses)
      .orderBy('ip')
      .execute();
    expect(rows.map((row) => row.ip)).toEqual(addresses);
    // And what the earlier scenarios recorded, on whichever instance they ran.
    const events = await db.selectFrom('audit_log').select('event').distinct().execute();
    expect(events.map((row) => row.event)).toEqual(
      expect.arrayContaining([
        'authorization_code.replayed',
        'refresh_token.reuse_detected',
        'token.revoked',
        'key.created',
      ]),
    );
  });

  // Last: it locks the admin out for the rest of the window.
  test('rate limits hold across instances: of 60 wrong passwords at once, no more than the limit reach the check; then even the right one is refused', async () => {
    const statuses = await wrongPasswordBurst(urls, 'admin', 60);
    const checked = statuses.filter((status) => status !== 429);
    expect(checked.length).toBeGreaterThan(0);
    // The default per-login (and address) limit: 5 failures.
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(new Set(checked)).toEqual(new Set([401]));
    for (const url of urls) expect(await signInStatus(url, 'admin', adminPassword), url).toBe(429);
  });
});

function credentials() {
  return { client_id: demoApp.client_id, client_secret: demoApp.client_secret };
}
