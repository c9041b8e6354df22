import type { components } from '@matomo-oauth2/sdk/openapi';
import type { Client } from '../../clients/client';
import type { Params } from '../../http/params';
import type { Scope } from '../../protocol/scopes';

export type TokenResponse = components['schemas']['TokenResponse'];

/** Where a request came from, for the audit log. */
export interface Origin {
  ip: string;
}

/** A grant of the token endpoint: the authenticated client's request in, tokens out. */
export type Grant = (client: Client, form: Params, origin: Origin) => Promise<TokenResponse>;

/** A successful token response (RFC 6749 §5.1). */
export function tokenResponse(
  accessToken: string,
  expiresIn: number,
  scope: Scope,
  refreshToken?: string,
): TokenResponse {
  return {
    token_type: 'Bearer',
    expires_in: expiresIn,
    access_token: accessToken,
    ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
    scope,
  };
}
