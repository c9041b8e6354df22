import * as clients from '../clients/client.repository';
import { findRedirectUri } from '../clients/redirect-uri';
import type { Db } from '../db/database';
import { cspSourceFor } from '../pages/layout';
import { MAX_CLIENT_ID_LENGTH } from '../protocol/limits';

/**
 * Where a sign-in that returns to an authorization request may end: the request's redirect URI, as
 * a CSP `form-action` source. Browsers check `form-action` along the whole redirect chain of a form
 * post, and with consent remembered, signing in leads straight on to the client. Only a redirect URI
 * registered for the request's client counts; for anything else, no source is added.
 */
export async function signInFormTargets(db: Db, returnTo: string | undefined): Promise<string[]> {
  // Stryker disable next-line ConditionalExpression: without it, "undefined" is read as a path of no authorization request
  if (returnTo === undefined) return [];
  const url = new URL(returnTo, 'http://server.invalid');
  if (url.pathname !== '/oauth2/authorize' && url.pathname !== '/index.php') return [];
  const clientId = url.searchParams.get('client_id') ?? '';
  if (clientId.length > MAX_CLIENT_ID_LENGTH) return [];
  const client = await clients.find(db, clientId);
  if (!client) return [];
  const sent = url.searchParams.get('redirect_uri');
  const redirectUri =
    sent === null
      ? client.redirectUris.length === 1
        ? client.redirectUris[0]
        : undefined
      : findRedirectUri(client.redirectUris, sent) && sent;
  return redirectUri === undefined ? [] : [cspSourceFor(redirectUri)];
}
