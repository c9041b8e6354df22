import { invalidRequest, OAuthError, tooManyRequests, unauthorizedClient } from '../errors/oauth-error';
import { queryParams, readForm } from '../http/form-body';
import type { Params } from '../http/params';
import type { AppContext, AppMiddleware } from '../http/state';
import { addressKey } from '../rate-limit/rate-limiter';
import type { Services } from '../services';
import { authenticateClient } from './client-authentication';
import { isGrantType } from './grant-type';
import { authorizationCodeGrant } from './grants/authorization-code.grant';
import { clientCredentialsGrant } from './grants/client-credentials.grant';
import { refreshTokenGrant } from './grants/refresh-token.grant';
import { allowCors, noStore, renderOAuthErrors } from './oauth-responses';

/** Parameters that belong in the body of a token, revocation or introspection request. */
const bodyOnly = [
  'grant_type',
  'code',
  'code_verifier',
  'refresh_token',
  'redirect_uri',
  'scope',
  'token',
  'client_secret',
];

/** Form-encoded POST only, no OAuth parameter in the URL, none repeated (RFC 6749 §3.2). */
export const checkTokenRequest: AppMiddleware = async function checkTokenRequest(ctx, next) {
  const form = ctx.state.form as Params;
  if (!ctx.state.hasForm) throw invalidRequest('The body must be application/x-www-form-urlencoded');
  const query = queryParams(ctx);
  const inQuery = bodyOnly.filter((name) => query.has(name));
  if (inQuery.length > 0)
    throw invalidRequest(`Send ${inQuery.join(', ')} in the request body, not in the URL`);
  const repeated = form.names().filter((name) => form.isRepeated(name));
  if (repeated.length > 0) throw invalidRequest(`Parameters may be sent only once: ${repeated.join(', ')}`);
  await next();
};

/** Authenticates the client, counting failures per source address (RFC 6749 §10.10, 2.1 §2.4.1). */
export function authenticate(services: Services, options: { allowPublic: boolean }): AppMiddleware {
  const limiter = services.limits.clientAuthentication;
  return async function authenticateClientRequest(ctx, next) {
    const address = addressKey(ctx.ip);
    // Reserved before the lookup, so that concurrent guesses cannot all pass the check.
    const wait = limiter.attempt(address);
    if (wait > 0) throw tooManyRequests(wait);
    try {
      const { client } = await authenticateClient(
        {
          authorization: ctx.get('Authorization') || undefined,
          form: ctx.state.form as Params,
          query: queryParams(ctx),
        },
        services.clients,
        options,
      );
      ctx.state.client = client;
      limiter.succeed(address);
    } catch (error) {
      if (!(error instanceof OAuthError && error.error === 'invalid_client')) limiter.succeed(address);
      else {
        limiter.fail(address);
        services.audit.record('client.authentication_failed', {
          ip: ctx.ip,
          detail: { reason: error.message },
        });
      }
      throw error;
    }
    await next();
  };
}

export function tokenEndpoint(services: Services) {
  const issueTokens: AppMiddleware = async function issueTokens(ctx: AppContext) {
    const form = ctx.state.form as Params;
    const client = ctx.state.client;
    if (!client) return;
    const grantType = form.get('grant_type');
    if (grantType === undefined) throw invalidRequest('grant_type is missing');
    if (!isGrantType(grantType))
      throw new OAuthError('unsupported_grant_type', `Unsupported grant_type: ${grantType.slice(0, 40)}`);
    if (!client.grantTypes.includes(grantType))
      throw unauthorizedClient(`This client may not use the ${grantType} grant`);
    const origin = { ip: ctx.ip };
    const grant = {
      authorization_code: authorizationCodeGrant,
      client_credentials: clientCredentialsGrant,
      refresh_token: refreshTokenGrant,
    }[grantType];
    ctx.body = await grant(services, client, form, origin);
    services.clientUsage.touch(client.clientId);
  };

  const methodNotAllowed: AppMiddleware = async function methodNotAllowed(ctx) {
    ctx.set('Allow', 'POST');
    throw new OAuthError('invalid_request', 'The token endpoint accepts only POST', 405, { Allow: 'POST' });
  };

  return {
    post: [
      allowCors,
      renderOAuthErrors,
      noStore,
      readForm,
      checkTokenRequest,
      authenticate(services, { allowPublic: true }),
      issueTokens,
    ],
    other: [allowCors, renderOAuthErrors, methodNotAllowed],
  };
}
