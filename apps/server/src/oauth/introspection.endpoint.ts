import type { components } from '@matomo-oauth2/sdk/openapi';
import { invalidRequest } from '../errors/oauth-error';
import { readForm } from '../http/form-body';
import type { Params } from '../http/params';
import type { AppMiddleware } from '../http/state';
import type { Services } from '../services';
import { noStore, renderOAuthErrors } from './oauth-responses';
import type { Scope } from './scopes';
import { authenticate, checkTokenRequest } from './token.endpoint';

type Description = components['schemas']['IntrospectionResponse'];
const inactive: Description = { active: false };

/**
 * Token introspection (RFC 7662) for confidential clients, about their own tokens. Anything not
 * active (unknown, expired, revoked, another client's) is only `{"active": false}`.
 */
export function introspectionEndpoint(services: Services) {
  const { settings, clock } = services;

  async function describe(token: string, clientId: string): Promise<Description> {
    if (token.length > 4096) return inactive;
    const refresh = token.length <= 512 ? await services.tokens.findRefreshToken(token) : undefined;
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
        scope: refresh.scope as Scope,
        client_id: refresh.client_id,
        sub: refresh.user_login,
        username: refresh.user_login,
        iss: settings.issuer,
        iat: Math.floor(refresh.created_at / 1000),
        exp: Math.floor(Math.min(refresh.expires_at, refresh.grant_expires_at) / 1000),
      };
    }
    const claims = await services.codec.verify(token).catch(() => undefined);
    if (!claims || claims.client_id !== clientId) return inactive;
    const state = await services.tokens.accessTokenState(claims);
    if (!state.active) return inactive;
    return {
      active: true,
      token_type: 'Bearer',
      scope: state.scope,
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

  const introspect: AppMiddleware = async function introspect(ctx) {
    const form = ctx.state.form as Params;
    const client = ctx.state.client;
    if (!client) return;
    const token = form.get('token');
    if (token === undefined) throw invalidRequest('token is missing');
    ctx.body = await describe(token, client.clientId);
  };

  return [
    renderOAuthErrors,
    noStore,
    readForm,
    checkTokenRequest,
    authenticate(services, { allowPublic: false }),
    introspect,
  ];
}
