import { sha256Hex } from '../../crypto/digest';
import { randomToken } from '../../crypto/random-token';
import { invalidGrant, invalidRequest, invalidScope, unauthorizedClient } from '../../errors/oauth-error';
import {
  grantedScope,
  identityScopesFromColumn,
  isIdentityScope,
  parseGrantedScope,
} from '../../protocol/identity-scopes';
import { MAX_OPAQUE_TOKEN_LENGTH } from '../../protocol/limits';
import { atMost, isScope } from '../../protocol/scopes';
import * as grants from '../../tokens/grant.repository';
import * as refreshTokens from '../../tokens/refresh-token.repository';
import { type Grant, type SignInGrantDeps, tokenResponse } from './grant';

/**
 * The refresh token grant (RFC 6749 §6) with rotation and reuse detection (RFC 9700 §4.14.2):
 * every refresh consumes the token and issues a new one; presenting a token that was already
 * used revokes its whole grant, since an attacker or the client holds a stolen copy. A refresh
 * token expires when unused for the idle lifetime, and with its grant at the absolute lifetime;
 * a refresh may narrow the scope, never widen it past the grant's or the client's. A grant that
 * holds `openid` gets a new ID token with each refresh (OpenID Connect Core §12.2).
 */
export function createRefreshTokenGrant(deps: SignInGrantDeps): Grant {
  const { db, clock, codec, idTokens, audit, revokeGrant } = deps;

  return async function refreshTokenGrant(client, form, origin) {
    const token = form.get('refresh_token');
    if (token === undefined) throw invalidRequest('refresh_token is missing');
    if (token.length > MAX_OPAQUE_TOKEN_LENGTH) throw invalidGrant('The refresh token is invalid');
    const requestedText = form.get('scope');
    const requested = requestedText === undefined ? undefined : parseGrantedScope(requestedText);
    if (requestedText !== undefined && requested === undefined) {
      const items = requestedText.split(' ');
      throw invalidScope(
        items.every((item) => isScope(item) || isIdentityScope(item))
          ? 'Ask for exactly one Matomo scope, with any of the identity scopes granted'
          : 'The requested scope is unknown',
      );
    }

    const now = clock();
    const digest = sha256Hex(token);
    const row = await refreshTokens.findWithGrant(db, digest);
    if (!row) throw invalidGrant('The refresh token is invalid');
    if (row.client_id !== client.clientId)
      throw invalidGrant('The refresh token was not issued to this client');

    // Reuse: a used token again means an attacker or the client holds a stolen copy. End the grant.
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
    // Idle expiry (the token's own) and absolute expiry (the grant's).
    if (now >= row.expires_at || now >= row.grant_expires_at)
      throw invalidGrant('The refresh token has expired');
    if (!client.grantTypes.includes('refresh_token'))
      throw unauthorizedClient('This client may not use the refresh_token grant');

    // Scope narrowing: at most what was granted, and at most the client's scope now. Identity
    // scopes the client may no longer ask for are dropped when the request names none.
    const granted = row.scope;
    const scope = requested?.scope ?? granted;
    if (!atMost(scope, granted))
      throw invalidScope(`The requested scope exceeds the scope granted (${granted})`);
    if (!atMost(scope, client.scope))
      throw invalidScope(`The requested scope exceeds the client's scope (${client.scope})`);
    const grantedIdentity = identityScopesFromColumn(row.identity_scopes);
    const identityScopes =
      requested?.identity ?? grantedIdentity.filter((item) => client.identityScopes.includes(item));
    const exceeding = identityScopes.filter(
      (item) => !grantedIdentity.includes(item) || !client.identityScopes.includes(item),
    );
    if (exceeding.length > 0)
      throw invalidScope(`The requested scope exceeds the scope granted (${exceeding.join(' ')})`);
    if (identityScopes.length > 0 && !identityScopes.includes('openid'))
      throw invalidScope('The profile and email scopes need the openid scope');

    // Rotation, in one transaction: consume the token, make the new access token the grant's
    // only valid one, and issue the next refresh token, which expires no later than the grant.
    const next = randomToken(32);
    const jti = codec.newJti();
    const outcome = await db.transaction().execute(async (trx) => {
      if (!(await refreshTokens.consume(trx, digest, now))) return 'reused' as const;
      if (!(await grants.rotateAccessToken(trx, row.grant_id, jti))) return 'revoked' as const;
      await refreshTokens.insert(trx, {
        token_digest: sha256Hex(next),
        grant_id: row.grant_id,
        created_at: now,
        expires_at: Math.min(now + deps.refreshTokenIdleTtlMs, row.grant_expires_at),
        used_at: null,
      });
      return 'rotated' as const;
    });
    // Another request used it first (a parallel refresh or a stolen copy): that is reuse too.
    if (outcome === 'reused') throw await reused();
    if (outcome === 'revoked') throw invalidGrant('The refresh token has been revoked');

    const { token: accessToken } = await codec.sign({
      sub: row.user_login,
      clientId: client.clientId,
      scope,
      identityScopes,
      grantId: row.grant_id,
      jti,
    });
    const idToken = identityScopes.includes('openid')
      ? await idTokens.sign({
          sub: row.user_login,
          clientId: client.clientId,
          authTime: row.auth_time ?? row.grant_created_at,
          sid: row.sid,
          accessToken,
        })
      : undefined;
    audit.record('token.issued', {
      actor: row.user_login,
      clientId: client.clientId,
      ip: origin.ip,
      detail: {
        grant_type: 'refresh_token',
        scope: grantedScope(scope, identityScopes),
        jti,
        grant_id: row.grant_id,
      },
    });
    return tokenResponse(accessToken, codec.ttlSeconds, grantedScope(scope, identityScopes), next, idToken);
  };
}
