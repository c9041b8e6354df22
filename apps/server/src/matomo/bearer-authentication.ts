import type { Params } from '../http/params';
import type { Services } from '../services';
import { InvalidTokenError } from '../tokens/access-token';
import { BearerError, missingToken } from './bearer-error';
import { type ApiCaller, createCaller } from './caller';

/**
 * Authenticates a Matomo API request by its Bearer token (RFC 6750 §2.1), and only by it: an
 * `access_token` parameter in the URL or body is ignored, and refused next to a header, as a
 * token sent two ways. The token must verify, be neither revoked nor from a paused or deleted
 * client, and its user must exist.
 */
export async function authenticateBearer(
  services: Services,
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
  const token = (match[1] ?? '').trim();
  if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(token) || token.length > 4096) {
    throw new BearerError(400, 'The Authorization header is malformed.', 'invalid_request');
  }

  let claims: Awaited<ReturnType<Services['codec']['verify']>>;
  try {
    claims = await services.codec.verify(token);
  } catch (error) {
    if (error instanceof InvalidTokenError) throw new BearerError(401, error.message, 'invalid_token');
    throw error;
  }
  const state = await services.tokens.accessTokenState(claims);
  if (!state.active) {
    throw new BearerError(
      401,
      'The access token has been revoked, or its client is paused or deleted.',
      'invalid_token',
    );
  }
  const login = claims.owner ?? claims.sub;
  const user = await services.users.find(login);
  if (!user) throw new BearerError(401, 'The user of the access token no longer exists.', 'invalid_token');
  const [siteAccess, allSiteIds] = await Promise.all([
    user.superuser === 1 ? Promise.resolve([]) : services.users.siteAccess(login),
    user.superuser === 1 ? services.sites.ids() : Promise.resolve([]),
  ]);
  // The scope in force: the token's, or lower if the client's scope was lowered since.
  return createCaller({ user, clientId: claims.client_id, scope: state.scope, siteAccess, allSiteIds });
}
