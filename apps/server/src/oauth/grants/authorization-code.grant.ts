import type { Client } from '../../clients/client';
import { sha256Hex } from '../../crypto/random';
import { invalidGrant, invalidRequest } from '../../errors/oauth-error';
import type { Params } from '../../http/params';
import type { Services } from '../../services';
import type { Origin, TokenResponse } from '../../tokens/token-service';
import { pkcePattern, verifierMatches } from '../pkce';

/**
 * The authorization code grant (RFC 6749 §4.1.3, RFC 7636 §4.6). A code is single-use and bound
 * to its client, redirect URI, user, scope and PKCE challenge. Presenting a used code revokes
 * every token issued from it (RFC 6749 §4.1.2).
 */
export async function authorizationCodeGrant(
  services: Services,
  client: Client,
  form: Params,
  origin: Origin,
): Promise<TokenResponse> {
  const code = form.get('code');
  if (code === undefined) throw invalidRequest('code is missing');
  const verifier = form.get('code_verifier');
  if (verifier !== undefined && !pkcePattern.test(verifier)) {
    throw invalidRequest('code_verifier must be 43 to 128 characters of [A-Za-z0-9._~-]');
  }

  const digest = sha256Hex(code);
  const row = code.length <= 512 ? await services.codes.find(digest) : undefined;
  if (!row) throw invalidGrant('The authorization code is invalid');
  if (row.client_id !== client.clientId)
    throw invalidGrant('The authorization code was not issued to this client');

  const replayed = async () => {
    const latest = await services.codes.find(digest);
    services.audit.record('authorization_code.replayed', {
      actor: row.user_login,
      clientId: client.clientId,
      ip: origin.ip,
    });
    if (latest?.grant_id)
      await services.tokens.revokeGrant(latest.grant_id, 'authorization code replay', origin);
    return invalidGrant(
      'The authorization code has already been used; the tokens issued from it are revoked',
    );
  };
  if (row.consumed_at !== null) throw await replayed();
  if (services.clock() >= row.expires_at) throw invalidGrant('The authorization code has expired');

  const redirectUri = form.get('redirect_uri');
  if (
    row.redirect_uri_sent === 1
      ? redirectUri !== row.redirect_uri
      : redirectUri !== undefined && redirectUri !== row.redirect_uri
  ) {
    throw invalidGrant('redirect_uri does not match the one of the authorization request');
  }

  if (row.code_challenge !== null) {
    if (verifier === undefined)
      throw invalidGrant('code_verifier is required: the code was issued with a code_challenge');
    if (!verifierMatches(verifier, row.code_challenge))
      throw invalidGrant('code_verifier does not match the code_challenge');
  } else if (verifier !== undefined) {
    // RFC 9700 §4.8.2: a verifier for a code issued without a challenge is a downgrade attempt.
    throw invalidRequest('code_verifier was sent, but the code was issued without a code_challenge');
  }

  const tokens = await services.tokens.redeemCode(row, client, origin);
  if (!tokens) throw await replayed();
  return tokens;
}
