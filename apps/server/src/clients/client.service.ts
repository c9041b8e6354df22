import { randomBytes } from 'node:crypto';
import type { components } from '@matomo-oauth2/sdk/openapi';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import { randomToken } from '../crypto/random';
import type { Db } from '../db/database';
import { MatomoApiError } from '../errors/matomo-api-error';
import type { Params } from '../http/params';
import { matomoDateTime } from '../matomo/matomo-date';
import { type GrantType, isGrantType } from '../oauth/grant-type';
import { isScope, type Scope } from '../oauth/scopes';
import { listParam } from '../sites/site-settings';
import type { Client } from './client';
import type { ClientRepository } from './client.repository';
import { digestClientSecret, generateClientSecret } from './client-secret';
import { redirectUriProblem } from './redirect-uri';

export type ClientJson = components['schemas']['OAuth2Client'];

/** What `OAuth2.createClient` and `OAuth2.updateClient` set. */
export interface ClientInput {
  name: string;
  description: string;
  grantTypes: GrantType[];
  scope: Scope;
  redirectUris: string[];
  type: 'confidential' | 'public';
  /** Unset on update: the client stays as it is (paused or not). */
  active: boolean | undefined;
}

/** Reads and validates a client's settings, with the plugin's messages. */
export function readClientInput(params: Params): ClientInput {
  const name = params.get('name')?.trim();
  if (!name) throw new MatomoApiError('Please provide a value for "name".');
  if (name.length > 255) throw new MatomoApiError('The name must be at most 255 characters.');
  const description = params.get('description') ?? '';
  if (description.length > 2000) throw new MatomoApiError('The description must be at most 2000 characters.');

  const requested = listParam(params, 'grantTypes', /[,\s]+/) ?? [];
  if (requested.length === 0) throw new MatomoApiError('Please provide a value for "grantTypes".');
  const unsupported = requested.filter((grant) => !isGrantType(grant));
  if (unsupported.length > 0)
    throw new MatomoApiError(`Unsupported grant_types: ${unsupported.join(', ').slice(0, 200)}`);
  const grantTypes = [...new Set(requested)] as GrantType[];

  const scope = params.get('scope');
  if (scope === undefined || !isScope(scope)) throw new MatomoApiError('Invalid scope value.');

  const typeValue = params.get('type') ?? 'confidential';
  const type = typeValue === 'public' ? 'public' : 'confidential';
  if (type === 'public' && grantTypes.includes('client_credentials')) {
    throw new MatomoApiError('Public clients cannot use the client_credentials grant type');
  }

  // Each URI is validated as sent: no trimming, so that stray spaces are refused, not repaired.
  const rawUris = [...params.getAll('redirectUris'), ...params.getAll('redirectUris[]')];
  const redirectUris = (rawUris.length === 1 ? (rawUris[0] as string).split(/\r?\n/) : rawUris).filter(
    (uri) => uri !== '',
  );
  for (const uri of redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new MatomoApiError(`Invalid redirect_uri: ${uri.slice(0, 200)} (${problem})`);
  }
  if (grantTypes.includes('authorization_code') && redirectUris.length === 0) {
    throw new MatomoApiError(
      'Invalid redirect_uri: the authorization_code grant needs at least one redirect URI.',
    );
  }
  if (redirectUris.length > 20) throw new MatomoApiError('Invalid redirect_uri: at most 20 redirect URIs.');

  const activeValue = params.get('active');
  if (activeValue !== undefined && activeValue !== '1' && activeValue !== '0') {
    throw new MatomoApiError('The parameter active must be 1 or 0.');
  }
  return {
    name,
    description,
    grantTypes,
    scope,
    redirectUris: [...new Set(redirectUris)],
    type,
    active: activeValue === undefined ? undefined : activeValue === '1',
  };
}

export function clientJson(client: Client): ClientJson {
  return {
    client_id: client.clientId,
    name: client.name,
    description: client.description,
    type: client.type,
    grant_types: client.grantTypes,
    scope: client.scope,
    redirect_uris: client.redirectUris,
    active: client.active,
    owner_login: client.ownerLogin,
    has_secret: client.secretDigest !== null,
    created_at: matomoDateTime(client.createdAt),
    updated_at: matomoDateTime(client.updatedAt),
    last_used_at: client.lastUsedAt === null ? null : matomoDateTime(client.lastUsedAt),
  };
}

export interface ClientServiceOptions {
  db: Db;
  clients: ClientRepository;
  audit: AuditLog;
  clock: Clock;
}

/** OAuth client management: what the `OAuth2.*` API methods (and a management UI) do. */
export function createClientService({ db, clients, audit, clock }: ClientServiceOptions) {
  async function get(clientId: string): Promise<Client> {
    const client = clientId.length <= 80 ? await clients.find(clientId.trim()) : undefined;
    if (!client) throw new MatomoApiError('OAuth 2.0 client not found');
    return client;
  }

  /** Ends every authorization of a client: its grants (with their tokens) and pending codes. */
  async function revokeAuthorizations(clientId: string): Promise<void> {
    const now = clock();
    await db
      .updateTable('grants')
      .set({ revoked_at: now })
      .where('client_id', '=', clientId)
      .where('revoked_at', 'is', null)
      .execute();
    await db
      .deleteFrom('authorization_codes')
      .where('client_id', '=', clientId)
      .where('consumed_at', 'is', null)
      .execute();
  }

  return {
    get,

    async list(): Promise<ClientJson[]> {
      return (await clients.list()).map(clientJson);
    },

    async create(
      input: ClientInput,
      ownerLogin: string,
      ip: string,
    ): Promise<{ client: ClientJson; secret: string | null }> {
      const now = clock();
      const secret = input.type === 'confidential' ? generateClientSecret() : null;
      const client: Client = {
        credentialsId: randomToken(16),
        clientId: randomBytes(16).toString('hex'),
        ...input,
        active: input.active ?? true,
        secretDigest: secret === null ? null : digestClientSecret(secret),
        ownerLogin,
        createdAt: now,
        updatedAt: now,
        lastUsedAt: null,
      };
      if (
        await db.selectFrom('users').select('login').where('login', '=', client.clientId).executeTakeFirst()
      ) {
        throw new MatomoApiError('Could not create a unique client id; try again.');
      }
      await clients.insert(client);
      audit.record('client.created', {
        actor: ownerLogin,
        clientId: client.clientId,
        ip,
        detail: { type: client.type, scope: client.scope, grant_types: client.grantTypes },
      });
      return { client: clientJson(client), secret };
    },

    async update(
      clientId: string,
      input: ClientInput,
      actor: string,
      ip: string,
    ): Promise<{ client: ClientJson; secret: string | null }> {
      const current = await get(clientId);
      let secretDigest = current.secretDigest;
      let secret: string | null = null;
      if (input.type === 'confidential' && current.secretDigest === null) {
        secret = generateClientSecret();
        secretDigest = digestClientSecret(secret);
      }
      if (input.type === 'public') secretDigest = null;
      const becomesPublic = current.type === 'confidential' && input.type === 'public';
      const loses = (grant: Client['grantTypes'][number]) =>
        current.grantTypes.includes(grant) && !input.grantTypes.includes(grant);
      const pausing = current.active && input.active === false;
      const updated: Client = {
        ...current,
        ...input,
        active: input.active ?? current.active,
        secretDigest,
        // Its client credentials tokens end when it may no longer get them, or is paused.
        credentialsId:
          becomesPublic || loses('client_credentials') || pausing ? randomToken(16) : current.credentialsId,
        updatedAt: clock(),
      };
      await clients.update(updated);
      // A confidential client that becomes public loses what its secret protected (plugin 5.2.1);
      // users' logins end too when the client may no longer use the authorization code grant.
      if (becomesPublic || loses('authorization_code') || pausing) await revokeAuthorizations(clientId);
      // A lower scope needs nothing here: tokens are capped by the client's scope when used.
      audit.record('client.updated', {
        actor,
        clientId,
        ip,
        detail: {
          type: updated.type,
          scope: updated.scope,
          grant_types: updated.grantTypes,
          active: updated.active,
        },
      });
      return { client: clientJson(updated), secret };
    },

    async rotateSecret(
      clientId: string,
      actor: string,
      ip: string,
    ): Promise<{ client_id: string; secret: string }> {
      const current = await get(clientId);
      if (current.type !== 'confidential')
        throw new MatomoApiError('Invalid client, please check your client type.');
      const secret = generateClientSecret();
      // Tokens the old secret obtained end with it; users' logins stay (they need the new secret to refresh).
      await clients.update({
        ...current,
        secretDigest: digestClientSecret(secret),
        credentialsId: randomToken(16),
        updatedAt: clock(),
      });
      audit.record('client.secret_rotated', { actor, clientId, ip });
      return { client_id: current.clientId, secret };
    },

    async setActive(clientId: string, active: boolean, actor: string, ip: string): Promise<ClientJson> {
      const current = await get(clientId);
      // Pausing ends every token and login of the client: resuming brings none of them back.
      const pausing = current.active && !active;
      const updated = {
        ...current,
        active,
        credentialsId: pausing ? randomToken(16) : current.credentialsId,
        updatedAt: clock(),
      };
      await clients.update(updated);
      if (pausing) await revokeAuthorizations(clientId);
      audit.record(active ? 'client.resumed' : 'client.paused', { actor, clientId, ip });
      return clientJson(updated);
    },

    async delete(clientId: string, actor: string, ip: string): Promise<void> {
      const current = await get(clientId);
      await clients.delete(current.clientId);
      audit.record('client.deleted', { actor, clientId, ip, detail: { name: current.name } });
    },
  };
}

export type ClientService = ReturnType<typeof createClientService>;
