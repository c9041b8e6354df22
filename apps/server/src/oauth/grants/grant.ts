import type { components } from '@matomo-oauth2/sdk/openapi';
import type { AuditLog } from '../../audit/audit-log';
import type { Client } from '../../clients/client';
import type { Clock } from '../../config/clock';
import type { Db } from '../../db/database';
import type { Params } from '../../http/params';
import type { AccessTokenCodec } from '../../tokens/access-token';
import type { IdTokenCodec } from '../../tokens/id-token';

export type TokenResponse = components['schemas']['TokenResponse'];

/** Where a request came from, for the audit log. */
export interface Origin {
  ip: string;
}

/** Revokes a grant (its refresh tokens and access tokens at once) and records why. */
export type RevokeGrant = (grantId: string, reason: string, origin: Origin) => Promise<void>;

/** A grant of the token endpoint: the authenticated client's request in, tokens out. */
export type Grant = (client: Client, form: Params, origin: Origin) => Promise<TokenResponse>;

/** What the grants of a user's sign-in (authorization code, refresh token) work with. */
export interface SignInGrantDeps {
  /** The token store, through the repositories of tokens/. */
  db: Db;
  clock: Clock;
  codec: AccessTokenCodec;
  /** Signs the ID tokens of grants that hold `openid`. */
  idTokens: IdTokenCodec;
  audit: AuditLog;
  revokeGrant: RevokeGrant;
  /** A refresh token unused this long expires, ms. */
  refreshTokenIdleTtlMs: number;
}

/** A successful token response (RFC 6749 §5.1), with an ID token when `openid` was granted. */
export function tokenResponse(
  accessToken: string,
  expiresIn: number,
  scope: string,
  refreshToken?: string,
  idToken?: string,
): TokenResponse {
  return {
    token_type: 'Bearer',
    expires_in: expiresIn,
    access_token: accessToken,
    ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
    scope,
    ...(idToken === undefined ? {} : { id_token: idToken }),
  };
}
