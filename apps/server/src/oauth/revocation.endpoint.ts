import { invalidRequest } from '../errors/oauth-error';
import { readForm } from '../http/form-body';
import type { Params } from '../http/params';
import type { AppMiddleware } from '../http/state';
import type { Services } from '../services';
import { allowCors, noStore, renderOAuthErrors } from './oauth-responses';
import { authenticate, checkTokenRequest } from './token.endpoint';

/**
 * Token revocation (RFC 7009). Unknown tokens get 200 like revoked ones, so the endpoint reveals
 * nothing; a client cannot revoke another client's token. Revoking a refresh token revokes its
 * whole grant, access tokens included (§2.1).
 */
export function revocationEndpoint(services: Services) {
  const revoke: AppMiddleware = async function revoke(ctx) {
    const form = ctx.state.form as Params;
    const client = ctx.state.client;
    if (!client) return;
    const token = form.get('token');
    if (token === undefined) throw invalidRequest('token is missing');
    const origin = { ip: ctx.ip };
    const notYours = () => invalidRequest('The token was not issued to this client');

    const refresh = token.length <= 512 ? await services.tokens.findRefreshToken(token) : undefined;
    if (refresh) {
      if (refresh.client_id !== client.clientId) throw notYours();
      await services.tokens.revokeGrant(refresh.grant_id, 'refresh token revoked by the client', origin);
    } else if (token.split('.').length === 3) {
      const claims = await services.codec.verify(token).catch(() => undefined);
      if (claims) {
        if (claims.client_id !== client.clientId) throw notYours();
        await services.tokens.revokeAccessToken(claims, origin);
      }
    }
    ctx.status = 200;
    ctx.body = '';
  };

  return [
    allowCors,
    renderOAuthErrors,
    noStore,
    readForm,
    checkTokenRequest,
    authenticate(services, { allowPublic: true }),
    revoke,
  ];
}
