import type { ClientRow } from '../db/schema';
import { type GrantType, isGrantType } from '../protocol/grant-types';
import { type IdentityScope, isIdentityScope } from '../protocol/identity-scopes';
import type { Scope } from '../protocol/scopes';

/** An OAuth client, with its JSON columns parsed. */
export interface Client {
  clientId: string;
  name: string;
  description: string;
  type: 'confidential' | 'public';
  secretDigest: string | null;
  grantTypes: GrantType[];
  /** The client's ceiling: tokens carry this scope or a lower one. */
  scope: Scope;
  redirectUris: string[];
  /** The OpenID Connect scopes it may ask for. */
  identityScopes: IdentityScope[];
  /** Where RP-initiated logout may send the browser back (matched as redirect URIs are). */
  postLogoutRedirectUris: string[];
  active: boolean;
  ownerLogin: string;
  createdAt: number;
  updatedAt: number;
  lastUsedAt: number | null;
  /** Client credentials tokens carry it; replacing it ends them all. */
  credentialsId: string;
}

function stringArray(text: string, column: string): string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
    throw new Error(`clients.${column} is not a JSON array of strings`);
  return value;
}

/** The `grant_types` column: a JSON array of grant types, checked as it is read. */
export function grantTypesFromColumn(text: string): GrantType[] {
  const values = stringArray(text, 'grant_types');
  const grantTypes = values.filter(isGrantType);
  if (grantTypes.length !== values.length) throw new Error('clients.grant_types holds an unknown grant type');
  return grantTypes;
}

function identityScopesFromJson(text: string): IdentityScope[] {
  const values = stringArray(text, 'identity_scopes');
  const known = values.filter(isIdentityScope);
  if (known.length !== values.length) throw new Error('clients.identity_scopes holds an unknown scope');
  return known;
}

/** The one mapper of the `clients` table: rows in, clients out. */
export function clientFromRow(row: ClientRow): Client {
  return {
    clientId: row.client_id,
    name: row.name,
    description: row.description,
    type: row.type,
    secretDigest: row.secret_digest,
    grantTypes: grantTypesFromColumn(row.grant_types),
    scope: row.scope,
    redirectUris: stringArray(row.redirect_uris, 'redirect_uris'),
    identityScopes: identityScopesFromJson(row.identity_scopes),
    postLogoutRedirectUris: stringArray(row.post_logout_redirect_uris, 'post_logout_redirect_uris'),
    active: row.active === 1,
    ownerLogin: row.owner_login,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastUsedAt: row.last_used_at,
    credentialsId: row.credentials_id,
  };
}

export function clientToRow(client: Client): ClientRow {
  return {
    client_id: client.clientId,
    name: client.name,
    description: client.description,
    type: client.type,
    secret_digest: client.secretDigest,
    grant_types: JSON.stringify(client.grantTypes),
    scope: client.scope,
    redirect_uris: JSON.stringify(client.redirectUris),
    identity_scopes: JSON.stringify(client.identityScopes),
    post_logout_redirect_uris: JSON.stringify(client.postLogoutRedirectUris),
    active: client.active ? 1 : 0,
    owner_login: client.ownerLogin,
    created_at: client.createdAt,
    updated_at: client.updatedAt,
    last_used_at: client.lastUsedAt,
    credentials_id: client.credentialsId,
  };
}
