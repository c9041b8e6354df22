import type { Db } from '../db/database';
import { BearerError, missingToken } from '../errors/bearer-error';
import type { Params } from '../http/params';
import { accessTokenState } from '../oauth/access-token-state';
import { MAX_ACCESS_TOKEN_LENGTH } from '../protocol/limits';
import * as sites from '../sites/site.repository';
import { type AccessTokenCodec, InvalidTokenError, type VerifiedAccessToken } from '../tokens/access-token';
import { type ApiCaller, createApiCaller } from '../users/api-caller';
import * as users from '../users/user.repository';

export interface BearerAuthenticationDeps {
  db: Db;
  codec: AccessTokenCodec;
}

/**
 * Authenticates a Matomo API request by its Bearer token (RFC 6750 §2.1), and only by it: an
 * `access_token` parameter in the URL or body is ignored, and refused next to a header, as a
 * token sent two ways. The token must verify, be neither revoked nor from a paused or deleted
 * client, and its user must exist.
 */
export async function authenticateBearer(
  { db, codec }: BearerAuthenticationDeps,
  authorization: string,
  params: Params,
): Promise<ApiCaller> {
  const match = /^bearer(?:\s+(.*))?$/i.exec(authorization.trim());
  if (!match) throw missingToken();
  if (params.has('access_token')) {
    throw new BearerError(
      400,
      'Send the access token in one place only: the Authorization header.',
      'invalid_request',
    );
  }
  // Stryker disable next-line StringLiteral: no token is as malformed as any text that is no token
  const token = match[1] ?? '';
  if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(token) || token.length > MAX_ACCESS_TOKEN_LENGTH) {
    throw new BearerError(400, 'The Authorization header is malformed.', 'invalid_request');
  }

  let claims: VerifiedAccessToken;
  try {
    claims = await codec.verify(token);
  } catch (error) {
    if (error instanceof InvalidTokenError) throw new BearerError(401, error.message, 'invalid_token');
    throw error;
  }
  const state = await accessTokenState(db, claims);
  if (!state.active) {
    throw new BearerError(
      401,
      'The access token has been revoked, or its client is paused or deleted.',
      'invalid_token',
    );
  }
  const login = claims.owner ?? claims.sub;
  const user = await users.find(db, login);
  if (!user) throw new BearerError(401, 'The user of the access token no longer exists.', 'invalid_token');
  // A super user has every site, at the super user level; anyone else, the sites granted to them.
  const siteAccess =
    user.superuser === 1
      ? (await sites.ids(db)).map((idsite) => ({ idsite, access: 'superuser' as const }))
      : await users.siteAccess(db, login);
  // The scope in force: the token's, or lower if the client's scope was lowered since.
  return createApiCaller({ user, clientId: claims.client_id, scope: state.scope, siteAccess });
}
