import { describe, expect, test } from 'vitest';
import { base64 } from './base64url';
import { ProtocolError } from './errors';
import { checkIdToken, decodeIdToken, type IdTokenCheck } from './id-token';

const segment = (value: unknown) => base64(new TextEncoder().encode(JSON.stringify(value)), true);
/** A compact JWS with these claims (the signature is never checked). */
const jwt = (claims: unknown) => `${segment({ alg: 'RS256', typ: 'JWT' })}.${segment(claims)}.c2lnbmF0dXJl`;

const ISSUER = 'https://auth.test';
const CLIENT = 'dashboard';
const NOW = 1_700_000_000_000; // ms
const claims = {
  iss: ISSUER,
  sub: 'demo',
  aud: CLIENT,
  exp: NOW / 1000 + 300,
  iat: NOW / 1000,
  auth_time: NOW / 1000,
  sid: 'sid-1',
  nonce: 'n-1',
};
const expected: IdTokenCheck = { issuer: ISSUER, clientId: CLIENT, nonce: 'n-1', now: NOW };

const errorOf = (check: () => unknown) => {
  try {
    check();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('decodeIdToken', () => {
  test('reads the claims of a compact JWS, UTF-8 and base64url characters included', () => {
    const withText = { ...claims, name: 'Zoë >>>???' }; // its encoding has both - and _
    expect(segment(withText)).toMatch(/-/);
    expect(segment(withText)).toMatch(/_/);
    expect(decodeIdToken(jwt(withText))).toEqual(withText);
  });

  test.each([
    ['two parts', `${segment({})}.${segment(claims)}`],
    ['four parts', `${jwt(claims)}.x`],
    ['an empty signature (an unsecured JWT)', `${segment({ alg: 'none' })}.${segment(claims)}.`],
    ['an empty header', `.${segment(claims)}.sig`],
    ['something before it', `@.${jwt(claims)}`],
    ['base64 padding', `${jwt(claims)}=`],
    ['base64, not base64url', `${segment({})}.${btoa(JSON.stringify(claims))}+/.sig`],
    ['a payload that is not JSON', `${segment({})}.${base64(new TextEncoder().encode('{no'), true)}.sig`],
    ['a payload of an impossible length', `${segment({})}.abcde.sig`],
    ['a JSON array', jwt([claims])],
    ['JSON null', jwt(null)],
    ['a JSON string', jwt('demo')],
    ['an empty string', ''],
  ])('%s is ERR_INVALID_ID_TOKEN', (_, token) => {
    const error = errorOf(() => decodeIdToken(token));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_ID_TOKEN', message: 'The ID token is not a JWT' });
  });
});

describe('checkIdToken: a login’s ID token (OpenID Connect Core §3.1.3.7)', () => {
  test('a good one gives its claims', () => {
    expect(checkIdToken(jwt(claims), expected)).toEqual(claims);
  });

  // [case, changes to the claims, changes to what is expected, the claim refused (null: accepted)]
  const cases: [string, Record<string, unknown>, Partial<IdTokenCheck>, string | null][] = [
    ['another issuer', { iss: 'https://evil.test' }, {}, 'iss'],
    ['the issuer with a trailing slash', { iss: `${ISSUER}/` }, {}, 'iss'],
    ['no iss', { iss: undefined }, {}, 'iss'],
    [
      'no issuer known (a server given without one), no iss either',
      { iss: undefined },
      { issuer: undefined },
      'iss',
    ],
    ['no issuer known, any iss', {}, { issuer: undefined }, 'iss'],
    ['another audience', { aud: 'other' }, {}, 'aud'],
    ['no audience', { aud: undefined }, {}, 'aud'],
    ['several audiences, not ours', { aud: ['other', 'third'], azp: 'other' }, {}, 'aud'],
    ['several audiences with ours and azp ours', { aud: ['other', CLIENT], azp: CLIENT }, {}, null],
    ['several audiences with ours and no azp', { aud: ['other', CLIENT] }, {}, 'azp'],
    ['several audiences with ours and azp another', { aud: [CLIENT, 'other'], azp: 'other' }, {}, 'azp'],
    ['one audience in an array, no azp', { aud: [CLIENT] }, {}, null],
    ['one audience and azp ours', { azp: CLIENT }, {}, null],
    ['one audience and azp another', { azp: 'other' }, {}, 'azp'],
    ['one audience and azp present but empty', { azp: '' }, {}, 'azp'],
    ['expired long ago', { exp: NOW / 1000 - 3600 }, {}, 'exp'],
    ['expired 31 s ago (beyond the 30 s tolerance)', { exp: NOW / 1000 - 31 }, {}, 'exp'],
    ['expired exactly 30 s ago', { exp: NOW / 1000 - 30 }, {}, 'exp'],
    ['expired 29 s ago (within the tolerance)', { exp: NOW / 1000 - 29 }, {}, null],
    ['expiring now', { exp: NOW / 1000 }, {}, null],
    ['no exp', { exp: undefined }, {}, 'exp'],
    ['exp as a string', { exp: String(NOW / 1000 + 300) }, {}, 'exp'],
    ['no sub', { sub: undefined }, {}, 'sub'],
    ['sub as a number', { sub: 42 }, {}, 'sub'],
    ['another nonce', { nonce: 'n-2' }, {}, 'nonce'],
    ['no nonce though one was sent', { nonce: undefined }, {}, 'nonce'],
    ['a nonce though none was sent', {}, { nonce: undefined }, 'nonce'],
    ['no nonce, none sent', { nonce: undefined }, { nonce: undefined }, null],
  ];

  test.each(cases)('%s', (_, changes, expecting, refused) => {
    const error = errorOf(() => checkIdToken(jwt({ ...claims, ...changes }), { ...expected, ...expecting }));
    if (refused === null) {
      expect(error).toBeUndefined();
    } else {
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error).toMatchObject({
        code: 'ERR_INVALID_ID_TOKEN',
        claim: refused,
        message: `Unexpected ${refused} in the ID token`,
      });
    }
  });

  test('the exp boundary, to the millisecond: good until (exp + 30 s), not at it', () => {
    const exp = NOW / 1000;
    const at = (now: number) => errorOf(() => checkIdToken(jwt({ ...claims, exp }), { ...expected, now }));
    expect(at((exp + 30) * 1000 - 1)).toBeUndefined();
    expect(at((exp + 30) * 1000)).toMatchObject({ claim: 'exp' });
  });

  test('a token that is no JWT is refused before any claim', () => {
    expect(errorOf(() => checkIdToken('a.b', expected))).toMatchObject({
      code: 'ERR_INVALID_ID_TOKEN',
      message: 'The ID token is not a JWT',
    });
  });
});

describe('checkIdToken: a refreshed ID token (OpenID Connect Core §12.2)', () => {
  const { nonce: _, ...refreshedClaims } = claims; // the contract: a nonce in the first one only
  const previous = jwt(claims);
  /** A refresh's ID token with these changes, checked against `before` (null: the session had none). */
  const refreshed = (changes: Record<string, unknown> = {}, before: string | null = previous) =>
    errorOf(() =>
      checkIdToken(
        jwt({ ...refreshedClaims, ...changes }),
        { ...expected, nonce: undefined },
        { previous: before ?? undefined },
      ),
    );

  test('the same iss, sub and aud, and no nonce: accepted', () => {
    expect(refreshed()).toBeUndefined();
    expect(checkIdToken(jwt(refreshedClaims), expected, { previous })).toEqual(refreshedClaims);
  });

  test('the nonce is not checked: none, or the first one repeated, or another', () => {
    expect(refreshed({ nonce: 'n-1' })).toBeUndefined();
    expect(refreshed({ nonce: 'n-9' })).toBeUndefined();
  });

  test.each([
    ['another sub', { sub: 'someone-else' }, 'sub'],
    ['another aud', { aud: 'other' }, 'aud'],
    ['the audience widened', { aud: [CLIENT, 'other'], azp: CLIENT }, 'aud'],
    ['expired', { exp: NOW / 1000 - 60 }, 'exp'],
    ['another issuer', { iss: 'https://evil.test' }, 'iss'],
  ])('%s is refused', (_, changes, claim) => {
    expect(refreshed(changes)).toMatchObject({ code: 'ERR_INVALID_ID_TOKEN', claim });
  });

  test('an ID token before it from another issuer (e.g. a server moved) is refused', () => {
    expect(refreshed({}, jwt({ ...claims, iss: 'https://old.test' }))).toMatchObject({ claim: 'iss' });
  });

  test('several audiences, the same as before, in the same order: accepted', () => {
    const aud = [CLIENT, 'reports'];
    expect(refreshed({ aud, azp: CLIENT }, jwt({ ...claims, aud, azp: CLIENT }))).toBeUndefined();
  });

  test('without an ID token before it, the checks of a login apply, without the nonce', () => {
    expect(refreshed({}, null)).toBeUndefined();
    expect(refreshed({ nonce: 'anything' }, null)).toBeUndefined();
    expect(refreshed({ sub: 'someone-else' }, null)).toBeUndefined();
    expect(refreshed({ aud: 'other' }, null)).toMatchObject({ claim: 'aud' });
  });

  test('an ID token before it that is no JWT is ERR_INVALID_ID_TOKEN', () => {
    expect(refreshed({}, 'not-a-jwt')).toMatchObject({
      code: 'ERR_INVALID_ID_TOKEN',
      message: 'The ID token is not a JWT',
    });
  });
});
