import type { components } from '@matomo-oauth2/sdk/openapi';
import type { Clock } from '../config/clock';
import { sha256Hex } from '../crypto/digest';
import type { Db } from '../db/database';
import { invalidRequest } from '../errors/oauth-error';
import { grantedScope, identityScopesFromColumn } from '../protocol/identity-scopes';
import { MAX_ACCESS_TOKEN_LENGTH, MAX_OPAQUE_TOKEN_LENGTH } from '../protocol/limits';
import { type AccessTokenCodec, unlessInvalidToken } from '../tokens/access-token';
import * as refreshTokens from '../tokens/refresh-token.repository';
import { accessTokenState } from './access-token-state';
import type { ClientAuthenticationDeps } from './shared/authenticate-client';
import { backChannelEndpoint } from './shared/back-channel-endpoint';

type Description = components['schemas']['IntrospectionResponse'];
const inactive: Description = { active: false };

export interface IntrospectionEndpointDeps extends ClientAuthenticationDeps {
  db: Db;
  clock: Clock;
  codec: AccessTokenCodec;
  issuer: string;
}

/**
 * Token introspection (RFC 7662) for confidential clients, about their own tokens. Anything not
 * active (unknown, expired, revoked, another client's) is only `{"active": false}`.
 */
export function introspectionEndpoint({ clock, codec, issuer, ...deps }: IntrospectionEndpointDeps) {
  const { db } = deps;

  async function describe(token: string, clientId: string): Promise<Description> {
    if (token.length > MAX_ACCESS_TOKEN_LENGTH) return inactive;
    const refresh =
      token.length <= MAX_OPAQUE_TOKEN_LENGTH
        ? await refreshTokens.findWithGrant(db, sha256Hex(token))
        : undefined;
    if (refresh) {
      const now = clock();
      const active =
        refresh.client_id === clientId &&
        refresh.client_active === 1 &&
        refresh.used_at === null &&
        refresh.revoked_at === null &&
        now < refresh.expires_at &&
        now < refresh.grant_expires_at;
      if (!active) return inactive;
      return {
        active: true,
        token_type: 'refresh_token',
        scope: grantedScope(refresh.scope, identityScopesFromColumn(refresh.identity_scopes)),
        client_id: refresh.client_id,
        sub: refresh.user_login,
        username: refresh.user_login,
        iss: issuer,
        iat: Math.floor(refresh.created_at / 1000),
        exp: Math.floor(Math.min(refresh.expires_at, refresh.grant_expires_at) / 1000),
      };
    }
    const claims = await codec.verify(token).catch(unlessInvalidToken);
    if (!claims || claims.client_id !== clientId) return inactive;
    const state = await accessTokenState(db, claims);
    if (!state.active) return inactive;
    return {
      active: true,
      token_type: 'Bearer',
      scope: grantedScope(state.scope, state.identityScopes),
      client_id: claims.client_id,
      sub: claims.sub,
      ...(claims.owner === undefined ? { username: claims.sub } : {}),
      aud: claims.aud,
      iss: claims.iss,
      iat: claims.iat,
      exp: claims.exp,
      jti: claims.jti,
    };
  }

  return backChannelEndpoint(
    deps,
    { cors: false, allowPublic: false },
    async function introspect(ctx, client, form) {
      const token = form.get('token');
      if (token === undefined) throw invalidRequest('token is missing');
      ctx.body = await describe(token, client.clientId);
    },
  );
}
