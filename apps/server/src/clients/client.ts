import type { ClientRow } from '../db/schema';
import type { GrantType } from '../oauth/grant-type';
import type { Scope } from '../oauth/scopes';

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
  active: boolean;
  ownerLogin: string;
  createdAt: number;
  updatedAt: number;
  lastUsedAt: number | null;
  /** Client credentials tokens carry it; replacing it ends them all. */
  credentialsId: string;
}

export function clientFromRow(row: ClientRow): Client {
  return {
    clientId: row.client_id,
    name: row.name,
    description: row.description,
    type: row.type,
    secretDigest: row.secret_digest,
    grantTypes: JSON.parse(row.grant_types) as GrantType[],
    scope: row.scope as Scope,
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    active: row.active === 1,
    ownerLogin: row.owner_login,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastUsedAt: row.last_used_at,
    credentialsId: row.credentials_id,
  };
}

export function clientToRow(client: Client): Omit<ClientRow, 'credentials_id'> & { credentials_id: string } {
  return {
    client_id: client.clientId,
    name: client.name,
    description: client.description,
    type: client.type,
    secret_digest: client.secretDigest,
    grant_types: JSON.stringify(client.grantTypes),
    scope: client.scope,
    redirect_uris: JSON.stringify(client.redirectUris),
    active: client.active ? 1 : 0,
    owner_login: client.ownerLogin,
    created_at: client.createdAt,
    updated_at: client.updatedAt,
    last_used_at: client.lastUsedAt,
    credentials_id: client.credentialsId,
  };
}
