import type { components } from '@matomo-oauth2/sdk/openapi';
import type { Client } from '../../clients/client';
import { matomoDateTime } from '../../protocol/matomo-date';

export type ClientJson = components['schemas']['OAuth2Client'];

/** A client as the `OAuth2.*` methods show it: never its secret, only whether it has one. */
export function clientJson(client: Client): ClientJson {
  return {
    client_id: client.clientId,
    name: client.name,
    description: client.description,
    type: client.type,
    grant_types: client.grantTypes,
    scope: client.scope,
    redirect_uris: client.redirectUris,
    identity_scopes: client.identityScopes,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    active: client.active,
    owner_login: client.ownerLogin,
    has_secret: client.secretDigest !== null,
    created_at: matomoDateTime(client.createdAt),
    updated_at: matomoDateTime(client.updatedAt),
    last_used_at: client.lastUsedAt === null ? null : matomoDateTime(client.lastUsedAt),
  };
}
