import { randomBytes } from 'node:crypto';
import type { Actor } from '../audit/actor';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../config/clock';
import { randomToken } from '../crypto/random-token';
import type { Db } from '../db/database';
import { ConflictError, NotFoundError } from '../errors/domain-error';
import { MAX_CLIENT_ID_LENGTH } from '../protocol/limits';
import * as codes from '../tokens/authorization-code.repository';
import * as grants from '../tokens/grant.repository';
import * as users from '../users/user.repository';
import type { Client } from './client';
import * as clients from './client.repository';
import { digestClientSecret, generateClientSecret } from './client-secret';
import type { ClientSettings } from './client-settings';

/** A client, and its secret when one was just generated (shown once, never stored in clear). */
export interface ClientWithSecret {
  client: Client;
  secret: string | null;
}

export interface ClientServiceOptions {
  db: Db;
  audit: AuditLog;
  clock: Clock;
}

/**
 * OAuth client management: what the `OAuth2.*` API methods (and a management UI) do. Takes
 * checked settings (`checkClientSettings`) and throws domain errors; knows nothing of HTTP.
 */
export function createClientService({ db, audit, clock }: ClientServiceOptions) {
  async function get(clientId: string): Promise<Client> {
    const client =
      clientId.length <= MAX_CLIENT_ID_LENGTH ? await clients.find(db, clientId.trim()) : undefined;
    if (!client) throw new NotFoundError('OAuth 2.0 client not found');
    return client;
  }

  /** Ends every authorization of a client: its grants (with their tokens) and pending codes. */
  async function revokeAuthorizations(clientId: string): Promise<void> {
    await grants.revokeAllOfClient(db, clientId, clock());
    await codes.deletePending(db, clientId);
  }

  return {
    get,

    list(): Promise<Client[]> {
      return clients.list(db);
    },

    /** Creates a client owned by `owner` (by default the actor): a client credentials token acts with its owner's access. */
    async create(settings: ClientSettings, actor: Actor, owner = actor.login): Promise<ClientWithSecret> {
      const now = clock();
      const secret = settings.type === 'confidential' ? generateClientSecret() : null;
      const client: Client = {
        credentialsId: randomToken(16),
        clientId: randomBytes(16).toString('hex'),
        ...settings,
        identityScopes: settings.identityScopes ?? [],
        postLogoutRedirectUris: settings.postLogoutRedirectUris ?? [],
        active: settings.active ?? true,
        secretDigest: secret === null ? null : digestClientSecret(secret),
        ownerLogin: owner,
        createdAt: now,
        updatedAt: now,
        lastUsedAt: null,
      };
      // A token's `sub` is a user's login or a client's id: the two must never coincide.
      if (await users.find(db, client.clientId)) {
        throw new ConflictError('Could not create a unique client id; try again.');
      }
      await clients.insert(db, client);
      audit.record('client.created', {
        actor: actor.login,
        clientId: client.clientId,
        ip: actor.ip,
        detail: {
          type: client.type,
          scope: client.scope,
          grant_types: client.grantTypes,
          identity_scopes: client.identityScopes,
          post_logout_redirect_uris: client.postLogoutRedirectUris,
          ...(owner === actor.login ? {} : { owner }),
        },
      });
      return { client, secret };
    },

    async update(clientId: string, settings: ClientSettings, actor: Actor): Promise<ClientWithSecret> {
      const current = await get(clientId);
      let secretDigest = current.secretDigest;
      let secret: string | null = null;
      if (settings.type === 'confidential' && current.secretDigest === null) {
        secret = generateClientSecret();
        secretDigest = digestClientSecret(secret);
      }
      if (settings.type === 'public') secretDigest = null;
      const becomesPublic = current.type === 'confidential' && settings.type === 'public';
      const loses = (grant: Client['grantTypes'][number]) =>
        current.grantTypes.includes(grant) && !settings.grantTypes.includes(grant);
      const pausing = current.active && settings.active === false;
      const updated: Client = {
        ...current,
        ...settings,
        identityScopes: settings.identityScopes ?? current.identityScopes,
        postLogoutRedirectUris: settings.postLogoutRedirectUris ?? current.postLogoutRedirectUris,
        active: settings.active ?? current.active,
        secretDigest,
        // Its client credentials tokens end when it may no longer get them, or is paused.
        credentialsId:
          becomesPublic || loses('client_credentials') || pausing ? randomToken(16) : current.credentialsId,
        updatedAt: clock(),
      };
      await clients.update(db, updated);
      // A confidential client that becomes public loses what its secret protected (plugin 5.2.1);
      // users' logins end too when the client may no longer use the authorization code grant.
      if (becomesPublic || loses('authorization_code') || pausing) await revokeAuthorizations(clientId);
      // A lower scope needs nothing here: tokens are capped by the client's scope when used.
      audit.record('client.updated', {
        actor: actor.login,
        clientId,
        ip: actor.ip,
        detail: {
          type: updated.type,
          scope: updated.scope,
          grant_types: updated.grantTypes,
          identity_scopes: updated.identityScopes,
          post_logout_redirect_uris: updated.postLogoutRedirectUris,
          active: updated.active,
        },
      });
      return { client: updated, secret };
    },

    async rotateSecret(clientId: string, actor: Actor): Promise<{ client: Client; secret: string }> {
      const current = await get(clientId);
      if (current.type !== 'confidential')
        throw new ConflictError('Invalid client, please check your client type.');
      const secret = generateClientSecret();
      // Tokens the old secret obtained end with it; users' logins stay (they need the new secret to refresh).
      const updated = {
        ...current,
        secretDigest: digestClientSecret(secret),
        credentialsId: randomToken(16),
        updatedAt: clock(),
      };
      await clients.update(db, updated);
      audit.record('client.secret_rotated', { actor: actor.login, clientId, ip: actor.ip });
      return { client: updated, secret };
    },

    async setActive(clientId: string, active: boolean, actor: Actor): Promise<Client> {
      const current = await get(clientId);
      // Pausing ends every token and login of the client: resuming brings none of them back.
      const pausing = current.active && !active;
      const updated = {
        ...current,
        active,
        credentialsId: pausing ? randomToken(16) : current.credentialsId,
        updatedAt: clock(),
      };
      await clients.update(db, updated);
      if (pausing) await revokeAuthorizations(clientId);
      audit.record(active ? 'client.resumed' : 'client.paused', {
        actor: actor.login,
        clientId,
        ip: actor.ip,
      });
      return updated;
    },

    async delete(clientId: string, actor: Actor): Promise<void> {
      const current = await get(clientId);
      await clients.remove(db, current.clientId);
      audit.record('client.deleted', {
        actor: actor.login,
        clientId,
        ip: actor.ip,
        detail: { name: current.name },
      });
    },
  };
}

export type ClientService = ReturnType<typeof createClientService>;
