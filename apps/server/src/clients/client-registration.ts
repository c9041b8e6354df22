import type { Db } from '../db/database';
import type { GrantType } from '../protocol/grant-types';
import type { IdentityScope } from '../protocol/identity-scopes';
import type { Scope } from '../protocol/scopes';
import * as clients from './client.repository';
import { digestClientSecret } from './client-secret';

/** A client whose id (and secret) whoever registers it chooses: the demo's, an operator tool's. */
export interface ClientRegistration {
  clientId: string;
  name: string;
  description?: string;
  /** A confidential client's secret; a client without one is public. */
  secret?: string;
  grantTypes: GrantType[];
  scope: Scope;
  redirectUris?: string[];
  /** The OpenID Connect scopes it may ask for; none when unset. */
  identityScopes?: IdentityScope[];
  /** Where RP-initiated logout may send the browser back; none when unset. */
  postLogoutRedirectUris?: string[];
  ownerLogin: string;
}

/**
 * Registers a client as given, active. Clients created through `OAuth2.createClient` get a random
 * id and secret instead (`ClientService`); this is for seeding and for an operator's first client.
 */
export async function registerClient(db: Db, registration: ClientRegistration, now: number): Promise<void> {
  const {
    secret,
    description = '',
    redirectUris = [],
    identityScopes = [],
    postLogoutRedirectUris = [],
    ...rest
  } = registration;
  await clients.insert(db, {
    ...rest,
    description,
    redirectUris,
    identityScopes,
    postLogoutRedirectUris,
    type: secret === undefined ? 'public' : 'confidential',
    secretDigest: secret === undefined ? null : digestClientSecret(secret),
    active: true,
    createdAt: now,
    updatedAt: now,
    lastUsedAt: null,
  });
}
