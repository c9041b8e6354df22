import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { claimsOf, type GrantFixture, HOUR, openGrantFixture } from '../../../test/support/grant-fixture';
import { sha256Hex } from '../../crypto/digest';
import { randomToken } from '../../crypto/random-token';
import { OAuthError } from '../../errors/oauth-error';
import { Params } from '../../http/params';
import * as codes from '../../tokens/authorization-code.repository';
import { accessTokenHash } from '../../tokens/id-token';
import { s256 } from '../pkce';
import { createAuthorizationCodeGrant } from './authorization-code.grant';
import type { Grant } from './grant';

const TTL = 30 * 24 * HOUR;
const IDLE = 14 * 24 * HOUR;
const verifier = 'v'.repeat(43);
const redirectUri = 'https://app.example/cb';

let fixture: GrantFixture;
let grant: Grant;

beforeAll(async () => {
  fixture = await openGrantFixture();
  const { db, clock, codec, idTokens, audit, revokeGrant } = fixture;
  grant = createAuthorizationCodeGrant({
    db,
    clock,
    codec,
    idTokens,
    audit,
    revokeGrant,
    refreshTokenTtlMs: TTL,
    refreshTokenIdleTtlMs: IDLE,
  });
});
afterAll(() => fixture.close());

/** A code the authorization endpoint issued to `clientId`, with its PKCE challenge unless `challenge` is null. */
async function issue(
  options: {
    clientId?: string;
    code?: string;
    sent?: boolean;
    challenge?: string | null;
    expiresIn?: number;
    identityScopes?: string;
    nonce?: string | null;
    authTime?: number | null;
    sid?: string | null;
  } = {},
) {
  const code = options.code ?? randomToken(32);
  await codes.insert(fixture.db, {
    code_digest: sha256Hex(code),
    client_id: options.clientId ?? 'web',
    user_login: 'owner',
    redirect_uri: redirectUri,
    redirect_uri_sent: options.sent === false ? 0 : 1,
    scope: 'matomo:write',
    code_challenge: options.challenge === undefined ? s256(verifier) : options.challenge,
    created_at: fixture.clock(),
    expires_at: fixture.clock() + (options.expiresIn ?? 60_000),
    consumed_at: null,
    grant_id: null,
    identity_scopes: options.identityScopes ?? '',
    nonce: options.nonce ?? null,
    auth_time: options.authTime ?? null,
    sid: options.sid ?? null,
  });
  return code;
}

const redeem = async (form: [string, string][], clientId = 'web') =>
  grant(await fixture.client(clientId), new Params(form), { ip: '192.0.2.1' });

/** The token request that goes with a code: the code, the redirect URI and the verifier. */
const request = (code: string): [string, string][] => [
  ['code', code],
  ['redirect_uri', redirectUri],
  ['code_verifier', verifier],
];

async function refusal(work: Promise<unknown>) {
  try {
    await work;
  } catch (error) {
    if (error instanceof OAuthError) return { error: error.error, description: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

const grantOf = async (code: string) =>
  (await codes.find(fixture.db, sha256Hex(code)))?.grant_id ?? undefined;

describe('redeeming an authorization code (RFC 6749 §4.1.3, RFC 7636 §4.6)', () => {
  test('creates a grant, its access token and its first refresh token', async () => {
    const code = await issue();
    const response = await redeem(request(code));
    expect(response).toEqual({
      token_type: 'Bearer',
      expires_in: 3600,
      access_token: expect.any(String),
      refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      scope: 'matomo:write',
    });
    const claims = claimsOf(response.access_token);
    const grantId = await grantOf(code);
    expect(claims).toMatchObject({ sub: 'owner', client_id: 'web', scope: 'matomo:write', gid: grantId });
    const now = fixture.clock();
    expect(
      await fixture.db
        .selectFrom('grants')
        .selectAll()
        .where('grant_id', '=', grantId ?? '')
        .executeTakeFirst(),
    ).toEqual({
      grant_id: grantId,
      client_id: 'web',
      user_login: 'owner',
      scope: 'matomo:write',
      created_at: now,
      expires_at: now + TTL,
      revoked_at: null,
      access_token_jti: claims.jti,
      identity_scopes: '',
      auth_time: null,
      sid: null,
    });
    expect(
      await fixture.db
        .selectFrom('refresh_tokens')
        .selectAll()
        .where('grant_id', '=', grantId ?? '')
        .execute(),
    ).toEqual([
      {
        token_digest: sha256Hex(response.refresh_token ?? ''),
        grant_id: grantId,
        created_at: now,
        expires_at: now + IDLE,
        used_at: null,
      },
    ]);
    expect((await codes.find(fixture.db, sha256Hex(code)))?.consumed_at).toBe(now);
    expect((await fixture.events('token.issued')).at(-1)).toEqual({
      actor: 'owner',
      client_id: 'web',
      ip: '192.0.2.1',
      detail: {
        grant_type: 'authorization_code',
        scope: 'matomo:write',
        jti: claims.jti,
        grant_id: grantId,
        refresh_token: true,
      },
    });
  });

  test('a client without the refresh token grant gets no refresh token', async () => {
    const code = await issue({ clientId: 'native' });
    const response = await redeem(request(code), 'native');
    expect(Object.keys(response)).not.toContain('refresh_token');
    const grantId = await grantOf(code);
    expect(
      await fixture.db
        .selectFrom('refresh_tokens')
        .selectAll()
        .where('grant_id', '=', grantId ?? '')
        .execute(),
    ).toEqual([]);
    expect((await fixture.events('token.issued')).at(-1)?.detail).toMatchObject({ refresh_token: false });
  });

  test('the redirect URI may be left out when the authorization request left it out', async () => {
    const code = await issue({ sent: false });
    expect(
      (
        await redeem([
          ['code', code],
          ['code_verifier', verifier],
        ])
      ).scope,
    ).toBe('matomo:write');
    const again = await issue({ sent: false });
    expect((await redeem(request(again))).scope).toBe('matomo:write');
  });

  test('a code without a challenge, from a confidential client, without a verifier', async () => {
    const code = await issue({ challenge: null });
    expect(
      (
        await redeem([
          ['code', code],
          ['redirect_uri', redirectUri],
        ])
      ).scope,
    ).toBe('matomo:write');
  });

  test('a code of the longest length is looked up; the last millisecond counts', async () => {
    const code = await issue({ code: 'c'.repeat(512), expiresIn: 1 });
    expect((await redeem(request(code))).scope).toBe('matomo:write');
  });
});

describe('with openid granted: an ID token (OpenID Connect Core §3.1.3.3)', () => {
  const authTime = 1_799_999_990_999;

  test('with the sign-in’s auth_time and sid, the request’s nonce, and the access token’s at_hash', async () => {
    const code = await issue({ identityScopes: 'openid profile', nonce: 'n-0S6', authTime, sid: 'sid-1' });
    const response = await redeem(request(code));
    expect(response).toEqual({
      token_type: 'Bearer',
      expires_in: 3600,
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      scope: 'matomo:write openid profile',
      id_token: expect.any(String),
    });
    expect(claimsOf(response.access_token).scope).toBe('matomo:write openid profile');
    const iat = Math.floor(fixture.clock() / 1000);
    expect(claimsOf(response.id_token ?? '')).toEqual({
      iss: 'https://as.example',
      sub: 'owner',
      aud: 'web',
      iat,
      exp: iat + 3600,
      auth_time: Math.floor(authTime / 1000),
      nonce: 'n-0S6',
      sid: 'sid-1',
      at_hash: accessTokenHash(response.access_token),
    });
    const grantId = await grantOf(code);
    expect(
      await fixture.db
        .selectFrom('grants')
        .select(['identity_scopes', 'auth_time', 'sid'])
        .where('grant_id', '=', grantId ?? '')
        .executeTakeFirst(),
    ).toEqual({ identity_scopes: 'openid profile', auth_time: authTime, sid: 'sid-1' });
    expect((await fixture.events('token.issued')).at(-1)?.detail).toEqual({
      grant_type: 'authorization_code',
      scope: 'matomo:write',
      jti: claimsOf(response.access_token).jti,
      grant_id: grantId,
      refresh_token: true,
      id_token: true,
    });
  });

  test('a code from before OpenID Connect support: auth_time is when the code was issued; no sid, no nonce', async () => {
    const code = await issue({ identityScopes: 'openid' });
    const issuedAt = fixture.clock();
    fixture.clock.advance(5000);
    const claims = claimsOf((await redeem(request(code))).id_token ?? '');
    expect(claims.auth_time).toBe(Math.floor(issuedAt / 1000));
    expect(Object.keys(claims)).not.toContain('sid');
    expect(Object.keys(claims)).not.toContain('nonce');
  });

  test.each<[string, string]>([
    ['no identity scope', ''],
    ['identity scopes without openid', 'profile'],
  ])('%s: no ID token', async (_, identityScopes) => {
    const code = await issue({ identityScopes, nonce: 'n', authTime });
    const response = await redeem(request(code));
    expect(Object.keys(response)).not.toContain('id_token');
    expect(response.scope).toBe(identityScopes === '' ? 'matomo:write' : `matomo:write ${identityScopes}`);
    expect(Object.keys((await fixture.events('token.issued')).at(-1)?.detail ?? {})).not.toContain(
      'id_token',
    );
  });
});

describe('a redemption is refused', () => {
  test.each<[string, (code: string) => [string, string][], string, string]>([
    ['without a code', () => [['redirect_uri', redirectUri]], 'invalid_request', 'code is missing'],
    ['with an unknown code', () => request('unknown'), 'invalid_grant', 'The authorization code is invalid'],
    [
      'with a malformed verifier',
      (code) => [
        ['code', code],
        ['redirect_uri', redirectUri],
        ['code_verifier', 'v'.repeat(42)],
      ],
      'invalid_request',
      'code_verifier must be 43 to 128 characters of [A-Za-z0-9._~-]',
    ],
    [
      'without the verifier of the challenge',
      (code) => [
        ['code', code],
        ['redirect_uri', redirectUri],
      ],
      'invalid_grant',
      'code_verifier is required: the code was issued with a code_challenge',
    ],
    [
      'with another verifier',
      (code) => [
        ['code', code],
        ['redirect_uri', redirectUri],
        ['code_verifier', 'w'.repeat(43)],
      ],
      'invalid_grant',
      'code_verifier does not match the code_challenge',
    ],
    [
      'without the redirect URI the authorization request named',
      (code) => [
        ['code', code],
        ['code_verifier', verifier],
      ],
      'invalid_grant',
      'redirect_uri does not match the one of the authorization request',
    ],
    [
      'with another redirect URI',
      (code) => [
        ['code', code],
        ['redirect_uri', `${redirectUri}/x`],
        ['code_verifier', verifier],
      ],
      'invalid_grant',
      'redirect_uri does not match the one of the authorization request',
    ],
  ])('%s', async (_, form, error, description) => {
    const code = await issue();
    expect(await refusal(redeem(form(code)))).toEqual({ error, description });
  });

  test('another redirect URI than the one used, when none was named', async () => {
    const code = await issue({ sent: false });
    expect(
      await refusal(
        redeem([
          ['code', code],
          ['redirect_uri', `${redirectUri}/x`],
          ['code_verifier', verifier],
        ]),
      ),
    ).toEqual({
      error: 'invalid_grant',
      description: 'redirect_uri does not match the one of the authorization request',
    });
  });

  test('a verifier for a code issued without a challenge (a downgrade, RFC 9700 §4.8.2)', async () => {
    const code = await issue({ challenge: null });
    expect(await refusal(redeem(request(code)))).toEqual({
      error: 'invalid_request',
      description: 'code_verifier was sent, but the code was issued without a code_challenge',
    });
  });

  test('another client’s code', async () => {
    const code = await issue({ clientId: 'native' });
    expect(await refusal(redeem(request(code)))).toEqual({
      error: 'invalid_grant',
      description: 'The authorization code was not issued to this client',
    });
  });

  test('a code longer than any this server issues, unread', async () => {
    const code = await issue({ code: 'c'.repeat(513) });
    expect(await refusal(redeem(request(code)))).toEqual({
      error: 'invalid_grant',
      description: 'The authorization code is invalid',
    });
  });

  test('an expired code, to the millisecond', async () => {
    const code = await issue({ expiresIn: 0 });
    expect(await refusal(redeem(request(code)))).toEqual({
      error: 'invalid_grant',
      description: 'The authorization code has expired',
    });
  });
});

describe('a code presented again (RFC 6749 §4.1.2)', () => {
  test('is refused, and revokes every token issued from it', async () => {
    const code = await issue();
    await redeem(request(code));
    const grantId = await grantOf(code);
    fixture.clock.advance(1);
    expect(await refusal(redeem(request(code)))).toEqual({
      error: 'invalid_grant',
      description: 'The authorization code has already been used; the tokens issued from it are revoked',
    });
    const row = await fixture.db
      .selectFrom('grants')
      .selectAll()
      .where('grant_id', '=', grantId ?? '')
      .executeTakeFirst();
    expect(row?.revoked_at).toBe(fixture.clock());
    expect((await fixture.events('authorization_code.replayed')).at(-1)).toEqual({
      actor: 'owner',
      client_id: 'web',
      ip: '192.0.2.1',
      detail: {},
    });
    expect((await fixture.events('grant.revoked')).at(-1)?.detail).toEqual({
      reason: 'authorization code replay',
    });
  });

  test.each<[string, (code: string) => [string, string][], number]>([
    ['after it expired', request, 60_000],
    [
      'with a wrong verifier',
      (code) => [
        ['code', code],
        ['redirect_uri', redirectUri],
        ['code_verifier', 'w'.repeat(43)],
      ],
      0,
    ],
    [
      'with another redirect URI',
      (code) => [
        ['code', code],
        ['redirect_uri', `${redirectUri}/x`],
        ['code_verifier', verifier],
      ],
      0,
    ],
  ])('is a replay before anything else is checked: %s', async (_, form, later) => {
    const code = await issue();
    await redeem(request(code));
    fixture.clock.advance(later);
    expect(await refusal(redeem(form(code)))).toMatchObject({
      error: 'invalid_grant',
      description: expect.stringContaining('already been used'),
    });
    const row = await fixture.db
      .selectFrom('grants')
      .selectAll()
      .where('grant_id', '=', (await grantOf(code)) ?? '')
      .executeTakeFirst();
    expect(row?.revoked_at).not.toBeNull();
  });

  test('of two redemptions at once, one wins and the other revokes what it got', async () => {
    const code = await issue();
    const outcomes = await Promise.allSettled([redeem(request(code)), redeem(request(code))]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ error: 'invalid_grant' });
    const grantId = await grantOf(code);
    const row = await fixture.db
      .selectFrom('grants')
      .selectAll()
      .where('grant_id', '=', grantId ?? '')
      .executeTakeFirst();
    expect(row?.revoked_at).not.toBeNull();
  });
});
