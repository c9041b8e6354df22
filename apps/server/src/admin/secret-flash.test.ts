import { randomBytes } from 'node:crypto';
import { createTestClock } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestContext, setCookies } from '../../test/support/koa-context';
import { openSharedTestDatabase } from '../../test/support/shared-test-database';
import { sha256Hex } from '../crypto/digest';
import { encrypt } from '../crypto/key-encryption';
import type { UserRow } from '../db/schema';
import { createSessionCookies } from '../sessions/session-cookies';
import type { SessionState } from '../sessions/session-state';
import { createSecretFlash } from './secret-flash';

const user: UserRow = {
  login: 'ann',
  email: 'ann@example.org',
  password_hash: 'x',
  superuser: 1,
  created_at: 0,
};

function sessionOf(cookieValue: string): SessionState['session'] {
  return {
    cookieValue,
    data: { login: 'ann', csrfToken: `csrf-of-${cookieValue}`, createdAt: 0, sid: 'sid' },
    user,
  };
}

/** One database for the file (every nonce is random): as every instance of a deployment shares one. */
let shared: Awaited<ReturnType<typeof openSharedTestDatabase>>;
beforeAll(async () => {
  shared = await openSharedTestDatabase();
});
afterAll(() => shared.close());

function setup({ db = shared.db, clock = createTestClock(), key = randomBytes(32) } = {}) {
  const flash = createSecretFlash({
    key,
    cookies: createSessionCookies('http://localhost'),
    db,
    clock,
  });
  /** Puts `secret` for `clientId` in session `session`; the sealed cookie, as the browser would keep it. */
  function put(clientId: string, secret: string, session = 'session-a'): string {
    const ctx = createTestContext<SessionState>({ method: 'POST', state: { session: sessionOf(session) } });
    flash.put(ctx, clientId, secret);
    const sealed = /^mo_secret_flash=([^;]+);/.exec(setCookies(ctx)[0] ?? '')?.[1];
    if (!sealed) throw new Error('no secret cookie set');
    return sealed;
  }
  /** Reads the flash on a page of `clientId`, sending `sealed`: what it shows, and whether it cleared the cookie. */
  async function take(sealed: string, clientId: string, { session = 'session-a', method = 'GET' } = {}) {
    const ctx = createTestContext<SessionState>({
      method,
      headers: { Cookie: `mo_secret_flash=${sealed}` },
      state: { session: sessionOf(session) },
    });
    const secret = await flash.take(ctx, clientId);
    const cleared = setCookies(ctx).some((line) => /^mo_secret_flash=;/.test(line));
    return { secret, cleared };
  }
  /**
   * A cookie sealed with the right key for `clientId` in `session`, holding `plaintext` as is:
   * what only a bug (or a leaked key) could produce, to check that its content is still checked.
   */
  function forge(plaintext: string, clientId = 'client-1', session = 'session-a'): string {
    return encrypt(key, plaintext, `secret-flash:${clientId}:${sha256Hex(session)}`);
  }
  return { clock, key, flash, put, take, forge };
}

describe('the one-time secret', () => {
  test('is shown once and clears its cookie', async () => {
    const { put, take } = setup();
    const sealed = put('client-1', 'the-secret');
    expect(sealed).not.toContain('the-secret');
    expect(await take(sealed, 'client-1')).toEqual({ secret: 'the-secret', cleared: true });
  });

  test('regression: a saved copy of the cookie, replayed after the secret was shown, shows nothing', async () => {
    const { put, take } = setup();
    const sealed = put('client-1', 'the-secret');
    expect((await take(sealed, 'client-1')).secret).toBe('the-secret');
    expect(await take(sealed, 'client-1')).toEqual({ secret: undefined, cleared: true });
  });

  test('regression: another session (even the same user signed in again) cannot open it, nor clear it', async () => {
    const { put, take } = setup();
    const sealed = put('client-1', 'the-secret', 'session-a');
    expect(await take(sealed, 'client-1', { session: 'session-b' })).toEqual({
      secret: undefined,
      cleared: false,
    });
    expect((await take(sealed, 'client-1', { session: 'session-a' })).secret).toBe('the-secret');
  });

  test('regression: refused by the server after 120 s, whatever the cookie max-age', async () => {
    const { clock, put, take } = setup();
    const onTime = put('client-1', 'shown');
    const late = put('client-1', 'too-late');
    clock.advance(120_000);
    expect((await take(onTime, 'client-1')).secret).toBe('shown');
    clock.advance(1);
    expect(await take(late, 'client-1')).toEqual({ secret: undefined, cleared: true });
  });

  test('regression: another client’s page leaves it for the page it was put for', async () => {
    const { put, take } = setup();
    const sealed = put('client-1', 'the-secret');
    expect(await take(sealed, 'client-2')).toEqual({ secret: undefined, cleared: false });
    expect((await take(sealed, 'client-1')).secret).toBe('the-secret');
  });

  test('regression: a HEAD request does not use it up', async () => {
    const { put, take } = setup();
    const sealed = put('client-1', 'the-secret');
    expect(await take(sealed, 'client-1', { method: 'HEAD' })).toEqual({ secret: undefined, cleared: false });
    expect((await take(sealed, 'client-1')).secret).toBe('the-secret');
  });

  test('a tampered cookie shows nothing', async () => {
    const { put, take } = setup();
    const sealed = put('client-1', 'the-secret');
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await take(tampered, 'client-1')).secret).toBeUndefined();
    expect((await take('not-sealed', 'client-1')).secret).toBeUndefined();
  });

  test('nothing without a session', async () => {
    const { put } = setup();
    const sealed = put('client-1', 'the-secret');
    const flash = createSecretFlash({
      key: randomBytes(32),
      cookies: createSessionCookies('http://localhost'),
      db: shared.db,
    });
    const ctx = createTestContext<SessionState>({ headers: { Cookie: `mo_secret_flash=${sealed}` } });
    expect(await flash.take(ctx, 'client-1')).toBeUndefined();
    expect(() => flash.put(createTestContext<SessionState>(), 'client-1', 'x')).toThrow();
  });

  test('regression: a copy replayed within the two minutes, after the secret was shown, shows nothing', async () => {
    const { clock, put, take } = setup();
    const sealed = put('client-1', 'the-secret');
    expect((await take(sealed, 'client-1')).secret).toBe('the-secret');
    for (const wait of [1, 1_000, 60_000, 118_000]) {
      clock.advance(wait);
      expect(await take(sealed, 'client-1')).toEqual({ secret: undefined, cleared: true });
    }
  });

  test('regression: without a sign-in session, nothing is put', async () => {
    const { flash } = setup();
    const ctx = createTestContext<SessionState>({ method: 'POST', state: {} });
    expect(() => flash.put(ctx, 'client-1', 'x')).toThrow(
      new Error('A secret is shown only within a sign-in session'),
    );
    expect(setCookies(ctx)).toEqual([]);
  });

  test.each<[string, (now: number) => string]>([
    ['a secret that is not a string', (now) => JSON.stringify({ secret: 7, issuedAt: now, nonce: 'n' })],
    ['no secret', (now) => JSON.stringify({ issuedAt: now, nonce: 'n' })],
    [
      'an issue time that is not a number',
      (now) => JSON.stringify({ secret: 's', issuedAt: String(now), nonce: 'n' }),
    ],
    ['no issue time', () => JSON.stringify({ secret: 's', nonce: 'n' })],
    ['a nonce that is not a string', (now) => JSON.stringify({ secret: 's', issuedAt: now, nonce: 5 })],
    ['no nonce', (now) => JSON.stringify({ secret: 's', issuedAt: now })],
    ['only a secret', () => JSON.stringify({ secret: 's' })],
    ['an empty object', () => '{}'],
    ['null', () => 'null'],
    ['a number', () => '42'],
    ['a string', () => '"s"'],
    ['an array', () => '["s", 0, "n"]'],
    ['no JSON', () => 'not json'],
  ])(
    'a cookie sealed with the key but holding %s shows nothing, and is left as it is',
    async (_, plaintext) => {
      const { clock, take, forge } = setup();
      expect(await take(forge(plaintext(clock())), 'client-1')).toEqual({
        secret: undefined,
        cleared: false,
      });
    },
  );

  test('a well-formed cookie sealed with the key opens (the forged cookies above differ only in content)', async () => {
    const { clock, take, forge } = setup();
    const plaintext = JSON.stringify({
      secret: 's',
      issuedAt: clock(),
      nonce: randomBytes(16).toString('hex'),
    });
    expect(await take(forge(plaintext, 'client-1', 'session-b'), 'client-1')).toEqual({
      secret: undefined,
      cleared: false,
    });
    expect(await take(forge(plaintext, 'client-2'), 'client-1')).toEqual({
      secret: undefined,
      cleared: false,
    });
    expect(await take(forge(plaintext), 'client-1')).toEqual({ secret: 's', cleared: true });
  });

  test.each([
    ['no cookie', undefined, 'GET'],
    ['an empty cookie', '', 'GET'],
    ['HEAD with the cookie', 'valid', 'HEAD'],
  ])('%s shows nothing and clears nothing', async (_, cookie, method) => {
    const { flash, put, take } = setup();
    const sealed = put('client-1', 'the-secret');
    const ctx = createTestContext<SessionState>({
      method,
      headers:
        cookie === undefined ? {} : { Cookie: `mo_secret_flash=${cookie === 'valid' ? sealed : cookie}` },
      state: { session: sessionOf('session-a') },
    });
    expect(await flash.take(ctx, 'client-1')).toBeUndefined();
    expect(setCookies(ctx)).toEqual([]);
    expect((await take(sealed, 'client-1')).secret).toBe('the-secret');
  });

  test('regression: shown on one instance, a replay on another instance sharing the database shows nothing', async () => {
    const clock = createTestClock();
    const key = randomBytes(32);
    const here = setup({ clock, key });
    const there = setup({ db: shared.openAnother(), clock, key });
    const sealed = here.put('client-1', 'the-secret');
    expect(await here.take(sealed, 'client-1')).toEqual({ secret: 'the-secret', cleared: true });
    expect(await there.take(sealed, 'client-1')).toEqual({ secret: undefined, cleared: true });
    clock.advance(60_000);
    expect(await there.take(sealed, 'client-1')).toEqual({ secret: undefined, cleared: true });
  });

  test('regression: one cookie sent to two instances at once is shown by exactly one', async () => {
    const clock = createTestClock();
    const key = randomBytes(32);
    const here = setup({ clock, key });
    const there = setup({ db: shared.openAnother(), clock, key });
    const sealed = here.put('client-1', 'the-secret');
    const shown = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? here : there).take(sealed, 'client-1')),
    );
    expect(shown.filter((result) => result.secret === 'the-secret')).toHaveLength(1);
    expect(shown.filter((result) => result.secret === undefined)).toHaveLength(5);
  });
});
