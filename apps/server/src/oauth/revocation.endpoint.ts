import { sha256Hex } from '../crypto/digest';
import type { Db } from '../db/database';
import { invalidRequest } from '../errors/oauth-error';
import { MAX_OPAQUE_TOKEN_LENGTH } from '../protocol/limits';
import { type AccessTokenCodec, unlessInvalidToken } from '../tokens/access-token';
import * as refreshTokens from '../tokens/refresh-token.repository';
import * as revokedTokens from '../tokens/revoked-token.repository';
import type { RevokeGrant } from './grants/grant';
import type { ClientAuthenticationDeps } from './shared/authenticate-client';
import { backChannelEndpoint } from './shared/back-channel-endpoint';
import { allowCors } from './shared/cors';

export interface RevocationEndpointDeps extends ClientAuthenticationDeps {
  db: Db;
  codec: AccessTokenCodec;
  revokeGrant: RevokeGrant;
}

/**
 * Token revocation (RFC 7009). Unknown tokens get 200 like revoked ones, so the endpoint reveals
 * nothing; a client cannot revoke another client's token. Revoking a refresh token revokes its
 * whole grant, access tokens included (§2.1).
 */
export function revocationEndpoint({ codec, revokeGrant, ...deps }: RevocationEndpointDeps) {
  const { db, audit } = deps;
  const post = backChannelEndpoint(
    deps,
    { cors: true, allowPublic: true },
    async function revoke(ctx, client, form) {
      const token = form.get('token');
      if (token === undefined) throw invalidRequest('token is missing');
      const origin = { ip: ctx.ip };
      const notYours = () => invalidRequest('The token was not issued to this client');

      const refresh =
        token.length <= MAX_OPAQUE_TOKEN_LENGTH
          ? await refreshTokens.findWithGrant(db, sha256Hex(token))
          : undefined;
      if (refresh) {
        if (refresh.client_id !== client.clientId) throw notYours();
        await revokeGrant(refresh.grant_id, 'refresh token revoked by the client', origin);
      } else if (token.split('.').length === 3) {
        const claims = await codec.verify(token).catch(unlessInvalidToken);
        if (claims) {
          if (claims.client_id !== client.clientId) throw notYours();
          await revokedTokens.add(db, claims.jti, claims.exp * 1000);
          audit.record('token.revoked', {
            actor: claims.sub,
            clientId: claims.client_id,
            ip: origin.ip,
            detail: { jti: claims.jti, token_type: 'access_token' },
          });
        }
      }
      ctx.status = 200;
      ctx.body = '';
    },
  );
  return { post, preflight: [allowCors] };
}
