import type { ClientUsage } from '../clients/client-usage';
import { invalidRequest, OAuthError, unauthorizedClient } from '../errors/oauth-error';
import type { AppMiddleware } from '../http/state';
import { type GrantType, isGrantType } from '../protocol/grant-types';
import type { Grant } from './grants/grant';
import type { ClientAuthenticationDeps } from './shared/authenticate-client';
import { backChannelEndpoint } from './shared/back-channel-endpoint';
import { allowCors } from './shared/cors';
import { renderOAuthErrors } from './shared/render-oauth-errors';

export interface TokenEndpointDeps extends ClientAuthenticationDeps {
  grants: Readonly<Record<GrantType, Grant>>;
  clientUsage: ClientUsage;
}

/**
 * The token endpoint (RFC 6749 §3.2): checks the request and the client, then hands it to the
 * grant named by `grant_type`, which decides.
 */
export function tokenEndpoint({ grants, clientUsage, ...deps }: TokenEndpointDeps) {
  const post = backChannelEndpoint(
    deps,
    { cors: true, allowPublic: true },
    async function issueTokens(ctx, client, form) {
      const grantType = form.get('grant_type');
      if (grantType === undefined) throw invalidRequest('grant_type is missing');
      if (!isGrantType(grantType))
        throw new OAuthError('unsupported_grant_type', 'The grant_type is not supported');
      if (!client.grantTypes.includes(grantType))
        throw unauthorizedClient('This client is not registered for this grant_type');
      ctx.body = await grants[grantType](client, form, { ip: ctx.ip });
      clientUsage.touch(client.clientId);
    },
  );

  const methodNotAllowed: AppMiddleware = async function methodNotAllowed() {
    throw new OAuthError('invalid_request', 'The token endpoint accepts only POST', 405, { Allow: 'POST' });
  };

  return { post, other: [allowCors, renderOAuthErrors, methodNotAllowed] };
}
