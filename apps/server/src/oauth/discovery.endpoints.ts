import type { components } from '@matomo-oauth2/sdk/openapi';
import type { AppMiddleware } from '../http/state';
import { grantTypes } from '../protocol/grant-types';
import { identityScopes } from '../protocol/identity-scopes';
import { scopes } from '../protocol/scopes';
import type { SigningKeyStore } from '../tokens/signing-keys';
import { allowCors } from './shared/cors';

type Metadata = components['schemas']['AuthorizationServerMetadata'];
type OpenIdMetadata = components['schemas']['OpenIdProviderMetadata'];

type SigningAlgorithm = components['schemas']['SigningAlgorithm'];

/**
 * RFC 8414 metadata: what a client needs to find and use this server. `algorithms`: those of the
 * published keys, which sign access and ID tokens alike.
 */
export function authorizationServerMetadata(
  issuer: string,
  algorithms: readonly SigningAlgorithm[] = ['RS256'],
): Metadata {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth2/authorize`,
    token_endpoint: `${issuer}/oauth2/token`,
    revocation_endpoint: `${issuer}/oauth2/revoke`,
    introspection_endpoint: `${issuer}/oauth2/introspect`,
    jwks_uri: `${issuer}/oauth2/jwks`,
    scopes_supported: [...scopes, ...identityScopes],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: [...grantTypes],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    // OpenID Connect Discovery's member (RFC 8414 §2 lets it be used here): the token endpoint
    // issues ID tokens too, and the same keys sign access tokens.
    id_token_signing_alg_values_supported: [...algorithms],
  };
}

/** OpenID Connect Discovery 1.0 §3: the same, plus what OpenID Connect clients look for. */
export function openIdProviderMetadata(
  issuer: string,
  algorithms: readonly SigningAlgorithm[] = ['RS256'],
): OpenIdMetadata {
  return {
    ...authorizationServerMetadata(issuer, algorithms),
    userinfo_endpoint: `${issuer}/oauth2/userinfo`,
    end_session_endpoint: `${issuer}/oauth2/logout`,
    id_token_signing_alg_values_supported: [...algorithms],
    subject_types_supported: ['public'],
    claims_supported: [
      'iss',
      'sub',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'sid',
      'at_hash',
      'preferred_username',
      'name',
      'email',
      'email_verified',
    ],
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    // Both default to true (Discovery §3); neither is supported.
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
  };
}

/** The metadata documents and the JWK Set. */
export function discoveryEndpoints({ issuer, keys }: { issuer: string; keys: SigningKeyStore }) {
  // Built again only when the published keys' algorithms change (an operator switched
  // ACCESS_TOKEN_ALG, or the last key of the old one expired): the route stays a static answer.
  let built: { algorithms: string; oauth: Metadata; openid: OpenIdMetadata } | undefined;
  const documents = () => {
    const algorithms = keys.publishedAlgorithms();
    const key = algorithms.join(' ');
    if (built?.algorithms !== key)
      built = {
        algorithms: key,
        oauth: authorizationServerMetadata(issuer, algorithms),
        openid: openIdProviderMetadata(issuer, algorithms),
      };
    return built;
  };
  const send = (which: 'oauth' | 'openid'): AppMiddleware =>
    async function sendMetadata(ctx) {
      // Sees keys another process made (a restart with a new ACCESS_TOKEN_ALG) within a second.
      await keys.refresh();
      ctx.set('Cache-Control', 'public, max-age=3600');
      ctx.body = documents()[which];
    };

  const sendJwks: AppMiddleware = async function sendJwks(ctx) {
    // Asks the database every time (a cheap fingerprint): a key revoked by `keys revoke` in another
    // process leaves the set at once. Clients cache the set, so this endpoint is seldom called.
    await keys.refresh(0);
    // Short enough that a rotated key (published KEY_ROTATION_LEAD ahead) is seen before it signs.
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.type = 'application/jwk-set+json';
    ctx.body = JSON.stringify(keys.jwks());
  };

  return {
    metadata: [allowCors, send('oauth')],
    openidConfiguration: [allowCors, send('openid')],
    jwks: [allowCors, sendJwks],
  };
}
