import { sha256Hex } from '../../crypto/digest';
import { randomToken } from '../../crypto/random-token';
import { invalidGrant, invalidRequest } from '../../errors/oauth-error';
import { grantedScope, identityScopesFromColumn } from '../../protocol/identity-scopes';
import { MAX_OPAQUE_TOKEN_LENGTH } from '../../protocol/limits';
import * as codes from '../../tokens/authorization-code.repository';
import * as grants from '../../tokens/grant.repository';
import * as refreshTokens from '../../tokens/refresh-token.repository';
import { pkcePattern, verifierMatches } from '../pkce';
import { type Grant, type SignInGrantDeps, tokenResponse } from './grant';

export interface AuthorizationCodeGrantDeps extends SignInGrantDeps {
  /** Absolute lifetime of the grant a code creates (its refresh tokens), ms. */
  refreshTokenTtlMs: number;
}

/**
 * The authorization code grant (RFC 6749 §4.1.3, RFC 7636 §4.6). A code is single-use and bound
 * to its client, redirect URI, user, scope and PKCE challenge. Redeeming it creates a grant, from
 * which every token of this sign-in descends. Presenting a used code revokes that grant, and so
 * every token issued from the code (RFC 6749 §4.1.2). With `openid` granted, the response
 * also carries an ID token (OpenID Connect Core §3.1.3.3) with the request's nonce.
 */
export function createAuthorizationCodeGrant(deps: AuthorizationCodeGrantDeps): Grant {
  const { db, clock, codec, idTokens, audit, revokeGrant } = deps;

  return async function authorizationCodeGrant(client, form, origin) {
    const code = form.get('code');
    if (code === undefined) throw invalidRequest('code is missing');
    const verifier = form.get('code_verifier');
    if (verifier !== undefined && !pkcePattern.test(verifier)) {
      throw invalidRequest('code_verifier must be 43 to 128 characters of [A-Za-z0-9._~-]');
    }

    const digest = sha256Hex(code);
    const row = code.length <= MAX_OPAQUE_TOKEN_LENGTH ? await codes.find(db, digest) : undefined;
    if (!row) throw invalidGrant('The authorization code is invalid');
    if (row.client_id !== client.clientId)
      throw invalidGrant('The authorization code was not issued to this client');

    // Single use: a code presented again is held by an attacker or replayed by a confused client.
    const replayed = async () => {
      const latest = await codes.find(db, digest);
      audit.record('authorization_code.replayed', {
        actor: row.user_login,
        clientId: client.clientId,
        ip: origin.ip,
      });
      // Stryker disable next-line OptionalChaining: the code is gone only if it was deleted between two reads (its client deleted)
      if (latest?.grant_id) await revokeGrant(latest.grant_id, 'authorization code replay', origin);
      return invalidGrant(
        'The authorization code has already been used; the tokens issued from it are revoked',
      );
    };
    if (row.consumed_at !== null) throw await replayed();
    if (clock() >= row.expires_at) throw invalidGrant('The authorization code has expired');

    // The redirect URI must be repeated exactly when the authorization request named it (§4.1.3).
    const redirectUri = form.get('redirect_uri');
    if (
      row.redirect_uri_sent === 1
        ? redirectUri !== row.redirect_uri
        : redirectUri !== undefined && redirectUri !== row.redirect_uri
    ) {
      throw invalidGrant('redirect_uri does not match the one of the authorization request');
    }

    if (row.code_challenge !== null) {
      if (verifier === undefined)
        throw invalidGrant('code_verifier is required: the code was issued with a code_challenge');
      if (!verifierMatches(verifier, row.code_challenge))
        throw invalidGrant('code_verifier does not match the code_challenge');
    } else if (verifier !== undefined) {
      // RFC 9700 §4.8.2: a verifier for a code issued without a challenge is a downgrade attempt.
      throw invalidRequest('code_verifier was sent, but the code was issued without a code_challenge');
    }

    // Consuming the code and creating its grant is one transaction: of concurrent redemptions,
    // the one that loses the race is a replay.
    const now = clock();
    const grantId = randomToken(24);
    const jti = codec.newJti();
    const refreshToken = client.grantTypes.includes('refresh_token') ? randomToken(32) : undefined;
    const redeemed = await db.transaction().execute(async (trx) => {
      if (!(await codes.consume(trx, digest, now, grantId))) return false;
      await grants.insert(trx, {
        grant_id: grantId,
        client_id: client.clientId,
        user_login: row.user_login,
        scope: row.scope,
        created_at: now,
        expires_at: now + deps.refreshTokenTtlMs,
        revoked_at: null,
        access_token_jti: jti,
        identity_scopes: row.identity_scopes,
        auth_time: row.auth_time,
        sid: row.sid,
      });
      if (refreshToken !== undefined) {
        await refreshTokens.insert(trx, {
          token_digest: sha256Hex(refreshToken),
          grant_id: grantId,
          created_at: now,
          expires_at: now + Math.min(deps.refreshTokenIdleTtlMs, deps.refreshTokenTtlMs),
          used_at: null,
        });
      }
      return true;
    });
    if (!redeemed) throw await replayed();

    const identityScopes = identityScopesFromColumn(row.identity_scopes);
    const { token } = await codec.sign({
      sub: row.user_login,
      clientId: client.clientId,
      scope: row.scope,
      identityScopes,
      grantId,
      jti,
    });
    const idToken = identityScopes.includes('openid')
      ? await idTokens.sign({
          sub: row.user_login,
          clientId: client.clientId,
          authTime: row.auth_time ?? row.created_at,
          sid: row.sid,
          nonce: row.nonce,
          accessToken: token,
        })
      : undefined;
    audit.record('token.issued', {
      actor: row.user_login,
      clientId: client.clientId,
      ip: origin.ip,
      detail: {
        grant_type: 'authorization_code',
        scope: row.scope,
        jti,
        grant_id: grantId,
        refresh_token: refreshToken !== undefined,
        ...(idToken === undefined ? {} : { id_token: true }),
      },
    });
    return tokenResponse(
      token,
      codec.ttlSeconds,
      grantedScope(row.scope, identityScopes),
      refreshToken,
      idToken,
    );
  };
}
