import type { components } from '@matomo-oauth2/sdk/openapi';
import type { AuditLog } from '../audit/audit-log';
import type { Client } from '../clients/client';
import type { Clock } from '../clock';
import { randomToken, sha256Hex } from '../crypto/random';
import type { Db } from '../db/database';
import { invalidGrant, invalidScope, unauthorizedClient } from '../errors/oauth-error';
import { atMost, type Scope } from '../oauth/scopes';
import type { AccessTokenClaims, AccessTokenCodec } from './access-token';
import type { AuthorizationCodeRow } from './authorization-codes';

export type TokenResponse = components['schemas']['TokenResponse'];

export interface TokenServiceOptions {
  db: Db;
  codec: AccessTokenCodec;
  clock: Clock;
  audit: AuditLog;
  /** Absolute lifetime of a grant (its refresh tokens), ms. */
  refreshTokenTtlMs: number;
  /** A refresh token unused this long expires, ms. */
  refreshTokenIdleTtlMs: number;
}

/** Where a request came from, for the audit log. */
export interface Origin {
  ip: string;
}

/**
 * Issues, rotates and revokes tokens. Every token of an authorization descends from one grant:
 * revoking the grant (refresh token reuse, code replay, revocation of a refresh token) kills
 * its refresh tokens and its access tokens at once, since the resource server checks the grant.
 */
export function createTokenService(options: TokenServiceOptions) {
  const { db, codec, clock, audit, refreshTokenTtlMs, refreshTokenIdleTtlMs } = options;

  function response(token: string, scope: Scope, refreshToken?: string): TokenResponse {
    return {
      token_type: 'Bearer',
      expires_in: codec.ttlSeconds,
      access_token: token,
      ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
      scope,
    };
  }

  async function revokeGrant(grantId: string, reason: string, origin: Origin): Promise<void> {
    const result = await db
      .updateTable('grants')
      .set({ revoked_at: clock() })
      .where('grant_id', '=', grantId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) {
      const grant = await db
        .selectFrom('grants')
        .select(['client_id', 'user_login'])
        .where('grant_id', '=', grantId)
        .executeTakeFirst();
      audit.record('grant.revoked', {
        actor: grant?.user_login,
        clientId: grant?.client_id,
        ip: origin.ip,
        detail: { reason },
      });
    }
  }

  /**
   * Whether a verified access token is still good, and the scope it may use now: its client
   * exists and is active, the token was not revoked, and it still descends from what issued it
   * (its grant, alive and whose current token it is; or, for client credentials, the client's
   * current credentials). The scope is capped by the client's current scope, so lowering a
   * client's scope takes effect at once. One indexed query: the API runs this on every request.
   */
  async function accessTokenState(
    claims: AccessTokenClaims,
  ): Promise<{ active: false } | { active: true; scope: Scope }> {
    const row = await db
      .selectFrom('clients as c')
      .leftJoin('grants as g', (join) =>
        join
          .on('g.grant_id', '=', claims.owner === undefined ? (claims.gid ?? '') : '')
          .onRef('g.client_id', '=', 'c.client_id'),
      )
      .leftJoin('revoked_tokens as t', (join) => join.on('t.jti', '=', claims.jti))
      .select([
        'c.active',
        'c.type',
        'c.grant_types',
        'c.scope',
        'c.credentials_id',
        'g.grant_id',
        'g.revoked_at',
        'g.access_token_jti',
        't.jti as revoked_jti',
      ])
      .where('c.client_id', '=', claims.client_id)
      .executeTakeFirst();
    if (row?.active !== 1 || row.revoked_jti !== null) return { active: false };
    const descends =
      claims.owner === undefined
        ? row.grant_id !== null && row.revoked_at === null && row.access_token_jti === claims.jti
        : row.type === 'confidential' &&
          (JSON.parse(row.grant_types) as string[]).includes('client_credentials') &&
          claims.gid === row.credentials_id;
    if (!descends) return { active: false };
    const ceiling = row.scope as Scope;
    return { active: true, scope: atMost(claims.scope, ceiling) ? claims.scope : ceiling };
  }

  return {
    revokeGrant,

    /** Client credentials: no grant, no refresh token; the token acts as the client's owner. */
    async clientCredentials(client: Client, scope: Scope, origin: Origin): Promise<TokenResponse> {
      // `gid` is the client's credentials id: rotating the secret (or pausing) ends these tokens.
      const { token, claims } = await codec.sign({
        sub: client.clientId,
        clientId: client.clientId,
        scope,
        owner: client.ownerLogin,
        grantId: client.credentialsId,
      });
      audit.record('token.issued', {
        actor: client.ownerLogin,
        clientId: client.clientId,
        ip: origin.ip,
        detail: { grant_type: 'client_credentials', scope, jti: claims.jti },
      });
      return response(token, scope);
    },

    /**
     * Redeems a validated authorization code: consumes it atomically and creates its grant.
     * Returns undefined when the code had already been consumed (the caller then revokes).
     */
    async redeemCode(
      code: AuthorizationCodeRow,
      client: Client,
      origin: Origin,
    ): Promise<TokenResponse | undefined> {
      const now = clock();
      const grantId = randomToken(24);
      const jti = codec.newJti();
      const refreshToken = client.grantTypes.includes('refresh_token') ? randomToken(32) : undefined;
      const redeemed = await db.transaction().execute(async (trx) => {
        const consumed = await trx
          .updateTable('authorization_codes')
          .set({ consumed_at: now, grant_id: grantId })
          .where('code_digest', '=', code.code_digest)
          .where('consumed_at', 'is', null)
          .executeTakeFirst();
        if (consumed.numUpdatedRows !== 1n) return false;
        await trx
          .insertInto('grants')
          .values({
            grant_id: grantId,
            client_id: client.clientId,
            user_login: code.user_login,
            scope: code.scope,
            created_at: now,
            expires_at: now + refreshTokenTtlMs,
            revoked_at: null,
            access_token_jti: jti,
          })
          .execute();
        if (refreshToken !== undefined) {
          await trx
            .insertInto('refresh_tokens')
            .values({
              token_digest: sha256Hex(refreshToken),
              grant_id: grantId,
              created_at: now,
              expires_at: now + Math.min(refreshTokenIdleTtlMs, refreshTokenTtlMs),
              used_at: null,
            })
            .execute();
        }
        return true;
      });
      if (!redeemed) return undefined;
      const scope = code.scope as Scope;
      const { token } = await codec.sign({
        sub: code.user_login,
        clientId: client.clientId,
        scope,
        grantId,
        jti,
      });
      audit.record('token.issued', {
        actor: code.user_login,
        clientId: client.clientId,
        ip: origin.ip,
        detail: {
          grant_type: 'authorization_code',
          scope,
          jti,
          grant_id: grantId,
          refresh_token: refreshToken !== undefined,
        },
      });
      return response(token, scope, refreshToken);
    },

    /**
     * Rotates a refresh token (RFC 9700 §4.14.2). Presenting one that was already used revokes
     * its whole grant: either an attacker or the client holds a stolen copy.
     */
    async refresh(
      client: Client,
      refreshToken: string,
      requested: Scope | undefined,
      origin: Origin,
    ): Promise<TokenResponse> {
      const now = clock();
      const digest = sha256Hex(refreshToken);
      const row = await db
        .selectFrom('refresh_tokens as r')
        .innerJoin('grants as g', 'g.grant_id', 'r.grant_id')
        .select([
          'r.expires_at',
          'r.used_at',
          'g.grant_id',
          'g.client_id',
          'g.user_login',
          'g.scope',
          'g.revoked_at',
          'g.expires_at as grant_expires_at',
        ])
        .where('r.token_digest', '=', digest)
        .executeTakeFirst();
      if (!row) throw invalidGrant('The refresh token is invalid');
      if (row.client_id !== client.clientId)
        throw invalidGrant('The refresh token was not issued to this client');
      // A used token again: an attacker or the client holds a stolen copy. End the grant.
      const reused = async () => {
        audit.record('refresh_token.reuse_detected', {
          actor: row.user_login,
          clientId: client.clientId,
          ip: origin.ip,
          detail: { grant_id: row.grant_id },
        });
        await revokeGrant(row.grant_id, 'refresh token reuse', origin);
        return invalidGrant('The refresh token has already been used; the grant is revoked');
      };
      if (row.used_at !== null) throw await reused();
      if (row.revoked_at !== null) throw invalidGrant('The refresh token has been revoked');
      if (now >= row.expires_at || now >= row.grant_expires_at)
        throw invalidGrant('The refresh token has expired');
      if (!client.grantTypes.includes('refresh_token'))
        throw unauthorizedClient('This client may not use the refresh_token grant');

      const granted = row.scope as Scope;
      const scope = requested ?? granted;
      if (!atMost(scope, granted))
        throw invalidScope(`The scope ${scope} exceeds the scope granted (${granted})`);
      if (!atMost(scope, client.scope))
        throw invalidScope(`The scope ${scope} exceeds the client's scope (${client.scope})`);

      const next = randomToken(32);
      const jti = codec.newJti();
      const outcome = await db.transaction().execute(async (trx) => {
        const used = await trx
          .updateTable('refresh_tokens')
          .set({ used_at: now })
          .where('token_digest', '=', digest)
          .where('used_at', 'is', null)
          .executeTakeFirst();
        if (used.numUpdatedRows !== 1n) return 'reused' as const;
        const grant = await trx
          .updateTable('grants')
          .set({ access_token_jti: jti })
          .where('grant_id', '=', row.grant_id)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        if (grant.numUpdatedRows !== 1n) return 'revoked' as const;
        await trx
          .insertInto('refresh_tokens')
          .values({
            token_digest: sha256Hex(next),
            grant_id: row.grant_id,
            created_at: now,
            expires_at: Math.min(now + refreshTokenIdleTtlMs, row.grant_expires_at),
            used_at: null,
          })
          .execute();
        return 'rotated' as const;
      });
      // Another request used it first (a parallel refresh or a stolen copy): that is reuse too.
      if (outcome === 'reused') throw await reused();
      if (outcome === 'revoked') throw invalidGrant('The refresh token has been revoked');

      const { token } = await codec.sign({
        sub: row.user_login,
        clientId: client.clientId,
        scope,
        grantId: row.grant_id,
        jti,
      });
      audit.record('token.issued', {
        actor: row.user_login,
        clientId: client.clientId,
        ip: origin.ip,
        detail: { grant_type: 'refresh_token', scope, jti, grant_id: row.grant_id },
      });
      return response(token, scope, next);
    },

    /** The grant a refresh token belongs to, and whose client it is (for revocation and introspection). */
    findRefreshToken(refreshToken: string) {
      return db
        .selectFrom('refresh_tokens as r')
        .innerJoin('grants as g', 'g.grant_id', 'r.grant_id')
        .innerJoin('clients as c', 'c.client_id', 'g.client_id')
        .select([
          'r.expires_at',
          'r.created_at',
          'r.used_at',
          'g.grant_id',
          'g.client_id',
          'g.user_login',
          'g.scope',
          'g.revoked_at',
          'g.expires_at as grant_expires_at',
          'c.active as client_active',
        ])
        .where('r.token_digest', '=', sha256Hex(refreshToken))
        .executeTakeFirst();
    },

    async revokeAccessToken(claims: AccessTokenClaims, origin: Origin): Promise<void> {
      await db
        .insertInto('revoked_tokens')
        .values({ jti: claims.jti, expires_at: claims.exp * 1000 })
        .onConflict((oc) => oc.column('jti').doNothing())
        .execute();
      audit.record('token.revoked', {
        actor: claims.sub,
        clientId: claims.client_id,
        ip: origin.ip,
        detail: { jti: claims.jti, token_type: 'access_token' },
      });
    },

    accessTokenState,

    async isAccessTokenActive(claims: AccessTokenClaims): Promise<boolean> {
      return (await accessTokenState(claims)).active;
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
