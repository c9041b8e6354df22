import { describe, expect, test } from 'vitest';
import { isFresh, newer, parseTokenSet, type TokenSet, toTokenSet } from './token-set';

/** A token set obtained at `obtained` (ms) that lives `lifetime` seconds. */
const set = (obtained: number, lifetime: number, access_token = `at-${obtained}-${lifetime}`): TokenSet => ({
  access_token,
  token_type: 'Bearer',
  expires_in: lifetime,
  expires_at: obtained + lifetime * 1000,
});

describe('toTokenSet', () => {
  test('expires_at is the local clock plus expires_in; scope and refresh token are kept', () => {
    expect(
      toTokenSet(
        {
          token_type: 'Bearer',
          access_token: 'at',
          expires_in: 60,
          refresh_token: 'rt',
          scope: 'matomo:read',
        },
        1_000,
      ),
    ).toStrictEqual({
      access_token: 'at',
      token_type: 'Bearer',
      expires_in: 60,
      expires_at: 61_000,
      obtained_at: 1_000,
      refresh_token: 'rt',
      scope: 'matomo:read',
    });
  });

  test('a response without scope or refresh token has no such keys (nothing undefined is stored)', () => {
    expect(toTokenSet({ token_type: 'Bearer', access_token: 'at', expires_in: 60 }, 0)).toStrictEqual({
      access_token: 'at',
      token_type: 'Bearer',
      expires_in: 60,
      expires_at: 60_000,
      obtained_at: 0,
    });
  });

  test('a server that does not rotate keeps the previous refresh token; a rotated one replaces it', () => {
    const previous = { ...set(0, 60), refresh_token: 'rt-old' };
    const response = { token_type: 'Bearer' as const, access_token: 'at2', expires_in: 60 };
    expect(toTokenSet(response, 0, previous).refresh_token).toBe('rt-old');
    expect(toTokenSet({ ...response, refresh_token: 'rt-new' }, 0, previous).refresh_token).toBe('rt-new');
  });
});

describe('toTokenSet after a refresh: what the response carries replaces, what it leaves out is kept', () => {
  const previous: TokenSet = {
    access_token: 'at-old',
    token_type: 'Bearer',
    expires_in: 60,
    expires_at: 60_000,
    obtained_at: 0,
    refresh_token: 'rt-old',
    scope: 'matomo:read openid',
    id_token: 'id-old',
  };

  test('a refresh that brings a new ID token replaces the old one', () => {
    const response = {
      token_type: 'Bearer' as const,
      access_token: 'at',
      expires_in: 60,
      id_token: 'id-new',
    };
    expect(toTokenSet(response, 1_000, previous)).toStrictEqual({
      access_token: 'at',
      token_type: 'Bearer',
      expires_in: 60,
      expires_at: 61_000,
      obtained_at: 1_000,
      refresh_token: 'rt-old',
      scope: 'matomo:read openid',
      id_token: 'id-new',
    });
  });

  test('one without an ID token, refresh token or scope keeps them (RFC 6749 §5.1: scope unchanged)', () => {
    const response = { token_type: 'Bearer' as const, access_token: 'at', expires_in: 30 };
    expect(toTokenSet(response, 1_000, previous)).toMatchObject({
      access_token: 'at',
      refresh_token: 'rt-old',
      scope: 'matomo:read openid',
      id_token: 'id-old',
      expires_at: 31_000,
    });
  });

  test('one without expires_in has an unknown lifetime, whatever the previous set had', () => {
    const set = toTokenSet({ token_type: 'Bearer', access_token: 'at' }, 1_000, previous);
    expect(set).not.toHaveProperty('expires_in');
    expect(set).not.toHaveProperty('expires_at');
    expect(set.obtained_at).toBe(1_000);
  });

  test('a granted scope lists the identity scopes after the Matomo one', () => {
    const response = {
      token_type: 'Bearer' as const,
      access_token: 'at',
      scope: 'matomo:write openid email',
    };
    expect(toTokenSet(response, 0).scope).toBe('matomo:write openid email');
  });
});

describe('isFresh', () => {
  test.each([
    // [now, expected]: an hour-long token with a 30 s margin expires at 3_600_000, counts as expired from 3_570_000
    [0, true],
    [3_569_999, true],
    [3_570_000, false],
    [3_600_000, false],
  ])('an hour-long token with 30 s of skew at %i ms is fresh: %s', (now, fresh) => {
    expect(isFresh(set(0, 3600), now, 30_000)).toBe(fresh);
  });

  test('the margin is at most half the lifetime (a 20 s token is used for 10 s, not never)', () => {
    expect(isFresh(set(0, 20), 9_999, 30_000)).toBe(true);
    expect(isFresh(set(0, 20), 10_000, 30_000)).toBe(false);
  });
});

describe('newer: which of two token sets was obtained later', () => {
  test.each([
    ['b obtained later', set(1_000, 60, 'a'), set(2_000, 60, 'b'), 'b'],
    ['b obtained earlier', set(2_000, 60, 'a'), set(1_000, 60, 'b'), 'a'],
    ['a tie (a re-read copy)', set(1_000, 60, 'a'), set(1_000, 60, 'b'), 'a'],
    // Obtained later with a shorter lifetime: b expires first, yet it is the newer one (it may carry
    // the rotated refresh token); comparing expiry times would bring back a's replaced refresh token.
    ['b later but shorter-lived', set(40_000, 60, 'a'), set(80_000, 10, 'b'), 'b'],
    ['b earlier but longer-lived', set(80_000, 10, 'a'), set(40_000, 60, 'b'), 'a'],
    ['same expiry, b obtained later', set(0, 10, 'a'), set(5_000, 5, 'b'), 'b'],
  ])('%s', (_, a, b, winner) => {
    expect(newer(a, b)?.access_token).toBe(winner);
  });

  test('a missing side loses', () => {
    const a = set(0, 60);
    expect(newer(a, undefined)).toBe(a);
    expect(newer(undefined, a)).toBe(a);
    expect(newer(undefined, undefined)).toBeUndefined();
  });
});

describe('parseTokenSet (what comes back from storage)', () => {
  const good = { access_token: 'at', token_type: 'Bearer', expires_in: 60, expires_at: 60_000 };

  test('a stored token set is read back', () => {
    expect(parseTokenSet(JSON.stringify({ ...good, refresh_token: 'rt' }))).toEqual({
      ...good,
      refresh_token: 'rt',
    });
  });

  test.each([
    ['nothing stored', null],
    ['undefined', undefined],
    ['not JSON', '{not json'],
    ['JSON null', 'null'],
    ['a string', '"at"'],
    ['an array', JSON.stringify([good])],
    ['no access token', JSON.stringify({ ...good, access_token: undefined })],
    ['an access token that is a number', JSON.stringify({ ...good, access_token: 1 })],
    ['no expires_at', JSON.stringify({ ...good, expires_at: undefined })],
    ['expires_at as a string', JSON.stringify({ ...good, expires_at: '60000' })],
    ['no expires_in', JSON.stringify({ ...good, expires_in: undefined })],
    ['expires_in as a string', JSON.stringify({ ...good, expires_in: '60' })],
  ])('%s is no token set', (_, raw) => {
    expect(parseTokenSet(raw)).toBeUndefined();
  });
});

// RFC 6749 §5.1 makes expires_in optional: such a token's lifetime is unknown.
describe('a token of unknown lifetime (a response without expires_in)', () => {
  const unknown = (obtained: number, access_token = `at-${obtained}`): TokenSet => ({
    access_token,
    token_type: 'Bearer',
    obtained_at: obtained,
  });

  test('toTokenSet keeps no expires_in and no expires_at, only when it was obtained', () => {
    expect(
      toTokenSet({ token_type: 'Bearer', access_token: 'at', refresh_token: 'rt' }, 5_000),
    ).toStrictEqual({
      access_token: 'at',
      token_type: 'Bearer',
      obtained_at: 5_000,
      refresh_token: 'rt',
    });
  });

  test.each([0, 3_600_000, 10 * 365 * 86_400_000])(
    'is fresh %i ms after it was obtained: never refreshed ahead of time',
    (later) => {
      expect(isFresh(unknown(1_000), 1_000 + later, 30_000)).toBe(true);
    },
  );

  test.each([
    ['two of unknown lifetime: the later one', unknown(1_000, 'a'), unknown(2_000, 'b'), 'b'],
    ['two of unknown lifetime, the earlier second', unknown(2_000, 'a'), unknown(1_000, 'b'), 'a'],
    ['a tie', unknown(1_000, 'a'), unknown(1_000, 'b'), 'a'],
    [
      'a long-lived one obtained earlier, then one of unknown lifetime',
      set(1_000, 3600, 'a'),
      unknown(2_000, 'b'),
      'b',
    ],
    [
      'one of unknown lifetime obtained later than a known one',
      unknown(2_000, 'a'),
      set(1_000, 3600, 'b'),
      'a',
    ],
    [
      'a set stored before obtained_at existed, and a later one',
      set(1_000, 60, 'a'),
      { ...set(2_000, 60, 'b'), obtained_at: 2_000 },
      'b',
    ],
    [
      'a later set stored before obtained_at existed, against an older one',
      { ...set(1_000, 60, 'a'), obtained_at: 1_000 },
      set(2_000, 60, 'b'),
      'b',
    ],
  ])('newer, %s', (_, a, b, winner) => {
    expect(newer(a, b)?.access_token).toBe(winner);
  });

  test('obtained_at, when present, decides over what the expiry suggests', () => {
    // Stored with a lifetime that ends early, but obtained later: still the newer one.
    const b = { ...set(0, 10, 'b'), obtained_at: 5_000 };
    expect(newer(set(1_000, 60, 'a'), b)?.access_token).toBe('b');
  });

  test.each([
    ['of unknown lifetime', unknown(1_000)],
    ['with a lifetime and obtained_at', { ...set(1_000, 60), obtained_at: 1_000 }],
    ['stored before obtained_at existed', set(1_000, 60)],
  ])('parseTokenSet reads back a set %s', (_, stored) => {
    expect(parseTokenSet(JSON.stringify(stored))).toEqual(stored);
  });

  test.each([
    ['no lifetime and no obtained_at', { access_token: 'at', token_type: 'Bearer' }],
    ['obtained_at as a string', { ...unknown(1_000), obtained_at: '1000' }],
    ['expires_at as a string, with obtained_at', { ...unknown(1_000), expires_in: 60, expires_at: '61000' }],
    ['expires_in as a string, with obtained_at', { ...unknown(1_000), expires_in: '60', expires_at: 61_000 }],
    ['an access token that is a number', { ...unknown(1_000), access_token: 1 }],
  ])('parseTokenSet refuses %s', (_, stored) => {
    expect(parseTokenSet(JSON.stringify(stored))).toBeUndefined();
  });
});
