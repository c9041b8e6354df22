import type { components } from '@matomo-oauth2/sdk/openapi';
import type { Db } from '../db/database';
import { OAuthError } from '../errors/oauth-error';
import { formOf, queryParams, readForm } from '../http/form-body';
import type { AppContext, AppMiddleware } from '../http/state';
import { MAX_ACCESS_TOKEN_LENGTH } from '../protocol/limits';
import { type AccessTokenCodec, InvalidTokenError, type VerifiedAccessToken } from '../tokens/access-token';
import * as users from '../users/user.repository';
import { accessTokenState } from './access-token-state';
import { allowCors } from './shared/cors';
import { renderOAuthErrors } from './shared/render-oauth-errors';

type UserInfo = components['schemas']['UserInfo'];

const realm = 'matomo-oauth2';

/** An RFC 6750 §3 error: the OAuth body, and the challenge in `WWW-Authenticate`. */
function bearerError(
  status: 400 | 401 | 403,
  error: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | undefined,
  description: string,
): OAuthError {
  const challenge = [`Bearer realm="${realm}"`];
  if (error !== undefined) challenge.push(`error="${error}"`);
  if (error === 'insufficient_scope') challenge.push('scope="openid"');
  return new OAuthError(error ?? 'invalid_token', description, status, {
    'WWW-Authenticate': challenge.join(', '),
  });
}

/**
 * The access token of a UserInfo request (RFC 6750 §2): in the `Authorization` header or, with
 * POST, in the form body; never in the URL, and never two ways at once.
 */
function bearerToken(ctx: AppContext): string {
  if (queryParams(ctx).sent('access_token'))
    throw bearerError(
      400,
      'invalid_request',
      'An access token in the URL is refused: send it in the Authorization header',
    );
  const header = ctx.get('Authorization');
  const inBody =
    ctx.method === 'POST' && ctx.state.hasForm === true ? formOf(ctx).get('access_token') : undefined;
  const match = /^bearer(?:\s+(.*))?$/i.exec(header.trim());
  if (header !== '' && inBody !== undefined)
    throw bearerError(400, 'invalid_request', 'Send the access token in one place only');
  // Stryker disable next-line StringLiteral: the scheme alone is malformed, and so is any text the pattern below refuses
  const token = inBody ?? (match ? (match[1] ?? '') : undefined);
  if (token === undefined)
    throw bearerError(
      401,
      undefined,
      'An access token is required: send it as Authorization: Bearer <token>',
    );
  if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(token) || token.length > MAX_ACCESS_TOKEN_LENGTH)
    throw bearerError(400, 'invalid_request', 'The access token is malformed');
  return token;
}

/**
 * The UserInfo endpoint (OpenID Connect Core §5.3): what the access token's identity scopes let
 * its client know about the user. The token must be valid now (not revoked, its client active),
 * carry `openid`, and its user must still exist.
 */
export function userinfoEndpoint({ db, codec }: { db: Db; codec: AccessTokenCodec }) {
  const respond: AppMiddleware = async function respond(ctx) {
    let claims: VerifiedAccessToken;
    try {
      claims = await codec.verify(bearerToken(ctx));
    } catch (error) {
      if (error instanceof InvalidTokenError) throw bearerError(401, 'invalid_token', error.message);
      throw error;
    }
    const state = await accessTokenState(db, claims);
    if (!state.active)
      throw bearerError(
        401,
        'invalid_token',
        'The access token has been revoked, or its client is paused or deleted',
      );
    if (claims.owner !== undefined || !state.identityScopes.includes('openid'))
      throw bearerError(403, 'insufficient_scope', 'The access token was not granted the openid scope');
    const user = await users.find(db, claims.sub);
    if (!user) throw bearerError(401, 'invalid_token', 'The user of the access token no longer exists');
    const body: UserInfo = { sub: user.login };
    if (state.identityScopes.includes('profile')) {
      body.preferred_username = user.login;
      body.name = user.login;
    }
    if (state.identityScopes.includes('email')) {
      body.email = user.email;
      // The server never checks that the address belongs to the user.
      body.email_verified = false;
    }
    ctx.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    ctx.body = body;
  };

  return {
    get: [allowCors, renderOAuthErrors, respond],
    post: [allowCors, renderOAuthErrors, readForm, respond],
  };
}
