import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { claimsOf, type GrantFixture, HOUR, openGrantFixture } from '../../../test/support/grant-fixture';
import { registerClient } from '../../clients/client-registration';
import { sha256Hex } from '../../crypto/digest';
import { randomToken } from '../../crypto/random-token';
import type { Db } from '../../db/database';
import { OAuthError } from '../../errors/oauth-error';
import { Params } from '../../http/params';
import type { Scope } from '../../protocol/scopes';
import * as grants from '../../tokens/grant.repository';
import { accessTokenHash } from '../../tokens/id-token';
import * as refreshTokens from '../../tokens/refresh-token.repository';
import type { Grant } from './grant';
import { createRefreshTokenGrant } from './refresh-token.grant';

const IDLE = 14 * 24 * HOUR;
let fixture: GrantFixture;
let grant: Grant;

beforeAll(async () => {
  fixture = await openGrantFixture();
  grant = refreshGrant(fixture.db);
  // A client whose scope was lowered to matomo:read after it was granted more.
  await registerClient(
    fixture.db,
    {
      clientId: 'lowered',
      name: 'Lowered',
      secret: 's',
      grantTypes: ['authorization_code', 'refresh_token'],
      scope: 'matomo:read',
      redirectUris: ['https://app.example/cb'],
      ownerLogin: 'owner',
    },
    0,
  );
  // Clients registered for OpenID Connect: every identity scope, and openid alone.
  for (const [clientId, identityScopes] of [
    ['rp', ['openid', 'profile', 'email']],
    ['rp_openid', ['openid']],
  ] as const) {
    await registerClient(
      fixture.db,
      {
        clientId,
        name: clientId,
        secret: 's',
        grantTypes: ['authorization_code', 'refresh_token'],
        scope: 'matomo:admin',
        redirectUris: ['https://app.example/cb'],
        identityScopes: [...identityScopes],
        ownerLogin: 'owner',
      },
      0,
    );
  }
});
afterAll(() => fixture.close());

function refreshGrant(db: Db): Grant {
  const { clock, codec, idTokens, audit, revokeGrant } = fixture;
  return createRefreshTokenGrant({
    db,
    clock,
    codec,
    idTokens,
    audit,
    revokeGrant,
    refreshTokenIdleTtlMs: IDLE,
  });
}

/** A grant of `clientId` to `owner` with one refresh token; the token and the grant's id. */
async function issue(
  options: {
    clientId?: string;
    scope?: Scope;
    token?: string;
    usedAt?: number | null;
    revokedAt?: number | null;
    expiresIn?: number;
    grantExpiresIn?: number;
    identityScopes?: string;
    authTime?: number | null;
    sid?: string | null;
  } = {},
) {
  const now = fixture.clock();
  const token = options.token ?? randomToken(32);
  const grantId = randomToken(24);
  await grants.insert(fixture.db, {
    grant_id: grantId,
    client_id: options.clientId ?? 'web',
    user_login: 'owner',
    scope: options.scope ?? 'matomo:write',
    created_at: now,
    expires_at: now + (options.grantExpiresIn ?? 30 * 24 * HOUR),
    revoked_at: options.revokedAt ?? null,
    access_token_jti: 'first-jti',
    identity_scopes: options.identityScopes ?? '',
    auth_time: options.authTime ?? null,
    sid: options.sid ?? null,
  });
  await refreshTokens.insert(fixture.db, {
    token_digest: sha256Hex(token),
    grant_id: grantId,
    created_at: now,
    expires_at: now + (options.expiresIn ?? IDLE),
    used_at: options.usedAt ?? null,
  });
  return { token, grantId };
}

async function refusal(work: Promise<unknown>) {
  try {
    await work;
  } catch (error) {
    if (error instanceof OAuthError) return { error: error.error, description: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

async function refresh(token: string, extra: [string, string][] = [], clientId = 'web', using = grant) {
  return using(await fixture.client(clientId), new Params([['refresh_token', token], ...extra]), {
    ip: '192.0.2.1',
  });
}

const grantRow = (grantId: string) =>
  fixture.db.selectFrom('grants').selectAll().where('grant_id', '=', grantId).executeTakeFirstOrThrow();

describe('a refresh (RFC 6749 §6) rotates the refresh token', () => {
  test('a new access token and refresh token; the old one is used up', async () => {
    const { token, grantId } = await issue();
    const response = await refresh(token);
    expect(response).toEqual({
      token_type: 'Bearer',
      expires_in: 3600,
      access_token: expect.any(String),
      refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      scope: 'matomo:write',
    });
    const claims = claimsOf(response.access_token);
    expect(claims).toMatchObject({ sub: 'owner', client_id: 'web', scope: 'matomo:write', gid: grantId });
    // The new access token is the grant's only valid one.
    expect((await grantRow(grantId)).access_token_jti).toBe(claims.jti);
    const rows = await fixture.db
      .selectFrom('refresh_tokens')
      .selectAll()
      .where('grant_id', '=', grantId)
      .execute();
    const now = fixture.clock();
    expect(rows.find((row) => row.token_digest === sha256Hex(token))?.used_at).toBe(now);
    expect(rows.find((row) => row.token_digest === sha256Hex(response.refresh_token ?? ''))).toEqual({
      token_digest: sha256Hex(response.refresh_token ?? ''),
      grant_id: grantId,
      created_at: now,
      expires_at: now + IDLE,
      used_at: null,
    });
    expect((await fixture.events('token.issued')).at(-1)).toEqual({
      actor: 'owner',
      client_id: 'web',
      ip: '192.0.2.1',
      detail: { grant_type: 'refresh_token', scope: 'matomo:write', jti: claims.jti, grant_id: grantId },
    });
    // The new refresh token works in its turn.
    expect((await refresh(response.refresh_token ?? '')).scope).toBe('matomo:write');
  });

  test('the next refresh token ends no later than its grant', async () => {
    const { token, grantId } = await issue({ grantExpiresIn: HOUR });
    const { refresh_token } = await refresh(token);
    const row = await fixture.db
      .selectFrom('refresh_tokens')
      .selectAll()
      .where('token_digest', '=', sha256Hex(refresh_token ?? ''))
      .executeTakeFirstOrThrow();
    expect(row.expires_at).toBe((await grantRow(grantId)).expires_at);
  });

  test.each<[Scope | undefined, Scope]>([
    [undefined, 'matomo:write'],
    ['matomo:write', 'matomo:write'],
    ['matomo:read', 'matomo:read'],
  ])('scope=%s narrows to %s', async (requested, scope) => {
    const { token } = await issue();
    const response = await refresh(token, requested === undefined ? [] : [['scope', requested]]);
    expect([response.scope, claimsOf(response.access_token).scope]).toEqual([scope, scope]);
  });

  test('a refresh token of the longest length is looked up', async () => {
    const { token } = await issue({ token: 't'.repeat(512) });
    expect((await refresh(token)).scope).toBe('matomo:write');
  });

  test('a client whose scope was lowered gets at most its scope now', async () => {
    const { token } = await issue({ clientId: 'lowered', scope: 'matomo:write' });
    expect(await refusal(refresh(token, [], 'lowered'))).toEqual({
      error: 'invalid_scope',
      description: "The requested scope exceeds the client's scope (matomo:read)",
    });
    const other = await issue({ clientId: 'lowered', scope: 'matomo:write' });
    expect((await refresh(other.token, [['scope', 'matomo:read']], 'lowered')).scope).toBe('matomo:read');
  });
});

describe('with openid granted: a new ID token (OpenID Connect Core §12.2)', () => {
  const authTime = 1_799_999_990_999;

  test('the same sub, aud, auth_time and sid; no nonce; at_hash of the new access token', async () => {
    const { token, grantId } = await issue({
      clientId: 'rp',
      identityScopes: 'openid profile',
      authTime,
      sid: 'sid-1',
    });
    const response = await refresh(token, [], 'rp');
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
      aud: 'rp',
      iat,
      exp: iat + 3600,
      auth_time: Math.floor(authTime / 1000),
      sid: 'sid-1',
      at_hash: accessTokenHash(response.access_token),
    });
    expect((await fixture.events('token.issued')).at(-1)?.detail).toEqual({
      grant_type: 'refresh_token',
      scope: 'matomo:write openid profile',
      jti: claimsOf(response.access_token).jti,
      grant_id: grantId,
    });
  });

  test('a grant from before OpenID Connect support: auth_time is when the grant was created', async () => {
    const { token } = await issue({ clientId: 'rp', identityScopes: 'openid' });
    const createdAt = fixture.clock();
    fixture.clock.advance(5000);
    const claims = claimsOf((await refresh(token, [], 'rp')).id_token ?? '');
    expect(claims.auth_time).toBe(Math.floor(createdAt / 1000));
    expect(Object.keys(claims)).not.toContain('sid');
  });

  test.each<[string, string, string, string | undefined, string]>([
    [
      'all that was granted, scope omitted',
      'openid profile email',
      'rp',
      undefined,
      'matomo:write openid profile email',
    ],
    [
      'fewer identity scopes',
      'openid profile email',
      'rp',
      'matomo:write openid email',
      'matomo:write openid email',
    ],
    ['a lower Matomo scope, openid kept', 'openid profile', 'rp', 'matomo:read openid', 'matomo:read openid'],
    ['the Matomo scope alone', 'openid profile', 'rp', 'matomo:write', 'matomo:write'],
    ['in any order', 'openid profile', 'rp', 'profile matomo:write openid', 'matomo:write openid profile'],
    // What the client may no longer ask for is dropped silently when the request names no scope.
    [
      'scope omitted, the client lost profile',
      'openid profile',
      'rp_openid',
      undefined,
      'matomo:write openid',
    ],
    [
      'scope omitted, the client lost every identity scope',
      'openid profile',
      'web',
      undefined,
      'matomo:write',
    ],
  ])('%s', async (_, identityScopes, clientId, requested, scope) => {
    const { token } = await issue({ clientId, identityScopes, authTime });
    const response = await refresh(token, requested === undefined ? [] : [['scope', requested]], clientId);
    expect([response.scope, claimsOf(response.access_token).scope]).toEqual([scope, scope]);
    expect(response.id_token !== undefined).toBe(scope.includes('openid'));
  });

  test.each<[string, string, string, string, string]>([
    ['an identity scope not granted', 'openid', 'rp', 'matomo:write openid email', 'email'],
    ['openid, not granted', '', 'rp', 'matomo:write openid', 'openid'],
    [
      'an identity scope the client may no longer ask for',
      'openid profile',
      'rp_openid',
      'matomo:write openid profile',
      'profile',
    ],
    ['openid, which the client may no longer ask for', 'openid', 'web', 'matomo:write openid', 'openid'],
    [
      'two identity scopes beyond',
      'openid',
      'rp_openid',
      'matomo:write openid profile email',
      'profile email',
    ],
  ])('%s: invalid_scope', async (_, identityScopes, clientId, requested, exceeding) => {
    const { token } = await issue({ clientId, identityScopes });
    expect(await refusal(refresh(token, [['scope', requested]], clientId))).toEqual({
      error: 'invalid_scope',
      description: `The requested scope exceeds the scope granted (${exceeding})`,
    });
  });
});

test('profile or email without openid: invalid_scope, as at the authorization endpoint', async () => {
  for (const requested of ['matomo:write profile', 'matomo:write email', 'matomo:write profile email']) {
    const { token } = await issue({ clientId: 'rp', identityScopes: 'openid profile email' });
    expect(await refusal(refresh(token, [['scope', requested]], 'rp'))).toEqual({
      error: 'invalid_scope',
      description: 'The profile and email scopes need the openid scope',
    });
  }
});

describe('a refresh is refused', () => {
  test.each<[string, [string, string][], string, string]>([
    ['without refresh_token', [], 'invalid_request', 'refresh_token is missing'],
    ['with an unknown token', [['refresh_token', 'nope']], 'invalid_grant', 'The refresh token is invalid'],
  ])('%s', async (_, form, error, description) => {
    expect(await refusal(grant(await fixture.client('web'), new Params(form), { ip: '192.0.2.1' }))).toEqual({
      error,
      description,
    });
  });

  test('a token longer than any this server issues, unread', async () => {
    const { token } = await issue({ token: 't'.repeat(513) });
    expect(await refusal(refresh(token))).toEqual({
      error: 'invalid_grant',
      description: 'The refresh token is invalid',
    });
  });

  test.each<[string, string]>([
    ['matomo:root', 'The requested scope is unknown'],
    ['matomo:read offline_access', 'The requested scope is unknown'],
    ['matomo:read  openid', 'The requested scope is unknown'],
    ['profile', 'Ask for exactly one Matomo scope, with any of the identity scopes granted'],
    ['matomo:read matomo:write', 'Ask for exactly one Matomo scope, with any of the identity scopes granted'],
    ['openid', 'Ask for exactly one Matomo scope, with any of the identity scopes granted'],
    [
      'matomo:read openid openid',
      'Ask for exactly one Matomo scope, with any of the identity scopes granted',
    ],
  ])('scope=%s: invalid_scope', async (scope, description) => {
    const { token } = await issue();
    expect(await refusal(refresh(token, [['scope', scope]]))).toEqual({
      error: 'invalid_scope',
      description,
    });
  });

  test('a scope wider than the grant’s', async () => {
    const { token } = await issue({ scope: 'matomo:read' });
    expect(await refusal(refresh(token, [['scope', 'matomo:write']]))).toEqual({
      error: 'invalid_scope',
      description: 'The requested scope exceeds the scope granted (matomo:read)',
    });
  });

  test('another client’s token', async () => {
    const { token } = await issue();
    expect(await refusal(refresh(token, [], 'lowered'))).toEqual({
      error: 'invalid_grant',
      description: 'The refresh token was not issued to this client',
    });
  });

  test('a client no longer allowed the refresh token grant', async () => {
    const { token } = await issue({ clientId: 'native' });
    expect(await refusal(refresh(token, [], 'native'))).toEqual({
      error: 'unauthorized_client',
      description: 'This client may not use the refresh_token grant',
    });
  });

  test('a token of a revoked grant', async () => {
    const { token } = await issue({ revokedAt: 1 });
    expect(await refusal(refresh(token))).toEqual({
      error: 'invalid_grant',
      description: 'The refresh token has been revoked',
    });
  });

  test('a token unused for its idle lifetime, to the millisecond', async () => {
    const { token } = await issue({ expiresIn: 1000 });
    const early = await issue({ expiresIn: 1001 });
    fixture.clock.advance(1000);
    expect((await refresh(early.token)).scope).toBe('matomo:write');
    expect(await refusal(refresh(token))).toEqual({
      error: 'invalid_grant',
      description: 'The refresh token has expired',
    });
  });

  test('a token of a grant past its absolute lifetime, to the millisecond', async () => {
    const { token } = await issue({ grantExpiresIn: 1000 });
    const early = await issue({ grantExpiresIn: 1001 });
    fixture.clock.advance(1000);
    expect((await refresh(early.token)).scope).toBe('matomo:write');
    expect(await refusal(refresh(token))).toEqual({
      error: 'invalid_grant',
      description: 'The refresh token has expired',
    });
  });
});

describe('reuse detection (RFC 9700 §4.14.2)', () => {
  test('a used token again revokes its whole grant, and is recorded', async () => {
    const { token, grantId } = await issue();
    const { access_token } = await refresh(token);
    fixture.clock.advance(1);
    expect(await refusal(refresh(token))).toEqual({
      error: 'invalid_grant',
      description: 'The refresh token has already been used; the grant is revoked',
    });
    expect((await grantRow(grantId)).revoked_at).toBe(fixture.clock());
    expect((await fixture.events('refresh_token.reuse_detected')).at(-1)).toEqual({
      actor: 'owner',
      client_id: 'web',
      ip: '192.0.2.1',
      detail: { grant_id: grantId },
    });
    expect((await fixture.events('grant.revoked')).at(-1)?.detail).toEqual({ reason: 'refresh token reuse' });
    expect(claimsOf(access_token).gid).toBe(grantId);
  });

  test.each<
    [string, { expiresIn?: number; revokedAt?: number; scope?: 'matomo:read' }, [string, string][], string]
  >([
    ['after its idle lifetime', { expiresIn: 1 }, [], 'web'],
    ['with a wider scope than granted', { scope: 'matomo:read' }, [['scope', 'matomo:admin']], 'web'],
  ])('a used token is reuse before anything else is checked: %s', async (_, options, extra, clientId) => {
    const { token, grantId } = await issue(options);
    await fixture.db
      .updateTable('refresh_tokens')
      .set({ used_at: 1 })
      .where('token_digest', '=', sha256Hex(token))
      .execute();
    fixture.clock.advance(1);
    expect(await refusal(refresh(token, extra, clientId))).toMatchObject({
      error: 'invalid_grant',
      description: expect.stringContaining('already been used'),
    });
    expect((await grantRow(grantId)).revoked_at).not.toBeNull();
  });

  test('a revoked grant’s token is refused as revoked, whatever else is wrong, and not used up', async () => {
    const { token } = await issue({ revokedAt: 1, scope: 'matomo:read' });
    expect(await refusal(refresh(token, [['scope', 'matomo:admin']]))).toEqual({
      error: 'invalid_grant',
      description: 'The refresh token has been revoked',
    });
    const row = await fixture.db
      .selectFrom('refresh_tokens')
      .select('used_at')
      .where('token_digest', '=', sha256Hex(token))
      .executeTakeFirstOrThrow();
    expect(row.used_at).toBeNull();
  });

  test('of two refreshes at once with one token, one wins and the other is reuse', async () => {
    const { token, grantId } = await issue();
    const outcomes = await Promise.allSettled([refresh(token), refresh(token)]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
    expect((rejected as PromiseRejectedResult).reason).toMatchObject({ error: 'invalid_grant' });
    expect((await grantRow(grantId)).revoked_at).not.toBeNull();
  });

  test('a grant revoked while the refresh was on its way issues nothing', async () => {
    const { token, grantId } = await issue();
    const db = fixture.db;
    // The grant is revoked between reading the token and rotating it.
    const racing = new Proxy(db, {
      get(target, property) {
        if (property === 'transaction') {
          return () => ({
            execute: async (work: Parameters<ReturnType<Db['transaction']>['execute']>[0]) => {
              await grants.revoke(target, grantId, fixture.clock());
              return target.transaction().execute(work);
            },
          });
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    expect(await refusal(refresh(token, [], 'web', refreshGrant(racing)))).toEqual({
      error: 'invalid_grant',
      description: 'The refresh token has been revoked',
    });
    expect((await grantRow(grantId)).access_token_jti).toBe('first-jti');
  });
});
