import type { Client } from '../../clients/client';
import * as clients from '../../clients/client.repository';
import type { FindClient } from '../../clients/client-lookup';
import { clientSecretMatches } from '../../clients/client-secret';
import type { Db } from '../../db/database';
import { invalidClient, invalidRequest } from '../../errors/oauth-error';
import type { Params } from '../../http/params';
import { MAX_CLIENT_ID_LENGTH } from '../../protocol/limits';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export interface ClientAuthenticationInput {
  authorization: string | undefined;
  form: Params;
  query: Params;
}

interface Presented {
  clientId: string;
  secret: string | undefined;
  method: ClientAuthMethod;
}

/** Decodes one half of a Basic credential: form-urlencoded before base64 (RFC 6749 §2.3.1). */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    // A malformed percent escape: no credential.
  }
  return undefined;
}

/** Reads which client the request claims to be, and how it proves it. */
export function presentedCredentials({ authorization, form, query }: ClientAuthenticationInput): Presented {
  if (query.has('client_id') || query.has('client_secret')) {
    throw invalidRequest(
      'Client credentials must be sent in the request body or the Authorization header, never in the URL',
    );
  }
  if (form.isRepeated('client_id') || form.isRepeated('client_secret')) {
    throw invalidRequest('client_id and client_secret may each be sent only once');
  }
  const bodyId = form.get('client_id');
  const bodySecret = form.get('client_secret');

  if (authorization !== undefined && authorization !== '') {
    const match = /^basic(?: +(\S*))?\s*$/i.exec(authorization);
    if (!match)
      throw invalidClient(
        'Only HTTP Basic client authentication is accepted in the Authorization header',
        true,
      );
    const credentials = match[1] ?? '';
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(credentials))
      throw invalidClient('The HTTP Basic credentials are malformed', true);
    if (bodySecret !== undefined) {
      throw invalidRequest(
        'Use one client authentication method: HTTP Basic or client_secret in the body, not both',
      );
    }
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    // `id:secret`: the id is not empty, the secret may be.
    const colon = decoded.indexOf(':');
    const id = colon < 1 ? undefined : formDecode(decoded.slice(0, colon));
    const secret = formDecode(decoded.slice(colon + 1));
    if (id === undefined || secret === undefined)
      throw invalidClient('The HTTP Basic credentials are malformed', true);
    if (bodyId !== undefined && bodyId !== id)
      throw invalidRequest('client_id does not match the HTTP Basic credentials');
    return { clientId: id, secret, method: 'client_secret_basic' };
  }
  if (bodyId === undefined) {
    if (bodySecret !== undefined) throw invalidRequest('client_secret was sent without client_id');
    throw invalidClient('Client authentication is required', false);
  }
  return bodySecret === undefined
    ? { clientId: bodyId, secret: undefined, method: 'none' }
    : { clientId: bodyId, secret: bodySecret, method: 'client_secret_post' };
}

/**
 * Authenticates the client of a token, revocation or introspection request. Confidential clients
 * must prove their secret (Basic or body, never both); public clients send only their id. Any
 * failure is a 401 `invalid_client`, with `WWW-Authenticate` when the header was used.
 */
export async function authenticateClient(
  input: ClientAuthenticationInput,
  db: Db,
  {
    allowPublic,
    findClient = (clientId) => clients.find(db, clientId),
  }: {
    allowPublic: boolean;
    /** How the client is read (the endpoints read concurrent requests' clients together). */
    findClient?: FindClient;
  },
): Promise<{ client: Client; method: ClientAuthMethod }> {
  const presented = presentedCredentials(input);
  const usedHeader = presented.method === 'client_secret_basic';
  const client =
    presented.clientId.length <= MAX_CLIENT_ID_LENGTH ? await findClient(presented.clientId) : undefined;
  if (!client) throw invalidClient('Client authentication failed', usedHeader);
  if (!client.active) throw invalidClient('Client authentication failed: the client is paused', usedHeader);
  if (client.type === 'public') {
    if (presented.method !== 'none')
      throw invalidClient('Public clients have no secret: send only client_id', usedHeader);
    if (!allowPublic) throw invalidClient('Public clients cannot use this endpoint', usedHeader);
    return { client, method: 'none' };
  }
  if (presented.secret === undefined)
    throw invalidClient('Client authentication failed: this client must send its secret', usedHeader);
  if (!client.secretDigest || !clientSecretMatches(presented.secret, client.secretDigest)) {
    throw invalidClient('Client authentication failed', usedHeader);
  }
  return { client, method: presented.method };
}
