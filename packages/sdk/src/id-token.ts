import { base64urlText } from './base64url';
import { ProtocolError } from './errors';
import { isObject } from './http';
import type { UserInfo } from './user-info';

/**
 * The claims of an OpenID Connect ID token: who signed in (`sub`, the Matomo login), for which client
 * (`aud`, `azp`), issued by whom (`iss`) and when (`iat`, `auth_time`, `exp`, seconds since the epoch).
 * Other servers may add the profile claims of `UserInfo` and their own.
 *
 * @example
 * ```ts
 * const user = await login.getUser();
 * if ('auth_time' in user) console.log(user.sub, 'signed in at', new Date(Number(user.auth_time) * 1000));
 * ```
 */
export interface IdTokenClaims extends UserInfo {
  iss: string;
  aud: string | string[];
  exp: number;
  iat: number;
  auth_time?: number;
  nonce?: string;
  azp?: string;
  sid?: string;
  at_hash?: string;
  [claim: string]: unknown;
}

/**
 * What an ID token is checked against: the server's `issuer`, the client, the `nonce` the authorization
 * request sent (none: the token must have none), and the time (milliseconds since the epoch).
 *
 * @example
 * ```ts
 * const expected: IdTokenCheck = { issuer: 'https://auth.example.com', clientId: 'dashboard', nonce, now: Date.now() };
 * ```
 */
export interface IdTokenCheck {
  issuer: string | undefined;
  clientId: string;
  nonce?: string;
  now: number;
}

// Seconds an `exp` may lie in the past, for the clocks of browser and server that never quite agree.
const CLOCK_TOLERANCE = 30;

/**
 * The claims of an ID token, read without checking its signature: OpenID Connect Core §3.1.3.7 allows
 * that for a token the client received directly from the token endpoint over TLS. Anything that is
 * not a JWS in compact form with a JSON object as payload is a `ProtocolError`
 * (`ERR_INVALID_ID_TOKEN`). It checks no claim: see `checkIdToken`.
 *
 * @example
 * ```ts
 * const { sub } = decodeIdToken(tokens.id_token);
 * ```
 */
export function decodeIdToken(idToken: string): IdTokenClaims {
  const payload = /^[\w-]+\.([\w-]+)\.[\w-]+$/.exec(idToken)?.[1];
  try {
    const claims: unknown = JSON.parse(base64urlText(payload as string));
    if (isObject(claims)) return claims as IdTokenClaims;
  } catch {}
  throw new ProtocolError('ERR_INVALID_ID_TOKEN', 'The ID token is not a JWT');
}

/**
 * Checks an ID token from the token endpoint and returns its claims. The first one of a login as
 * OpenID Connect Core §3.1.3.7 asks: `iss` is the issuer, `aud` names the client (and `azp` is the
 * client when present, which it must be when there are several audiences), `exp` is not past (30 s of
 * tolerance), `sub` is there, and `nonce` is the one sent (none sent: none). A refreshed one
 * (`refreshed`, with the session's ID token before it, if it had one) as §12.2 asks: the same checks
 * without the nonce, and the same `iss`, `sub` and `aud` as before. A failed check is a
 * `ProtocolError` (`ERR_INVALID_ID_TOKEN`) whose `claim` names the claim. The signature is not
 * checked (see `decodeIdToken`).
 *
 * @example
 * ```ts
 * const response = await processTokenResponse(await fetch(request), [code, verifier]);
 * if (response.id_token) checkIdToken(response.id_token, { issuer, clientId, nonce, now: Date.now() });
 * ```
 */
export function checkIdToken(
  idToken: string,
  { issuer, clientId, nonce, now }: IdTokenCheck,
  refreshed?: { previous?: string },
): IdTokenClaims {
  const claims = decodeIdToken(idToken);
  const before = refreshed?.previous === undefined ? undefined : decodeIdToken(refreshed.previous);
  const audiences = [claims.aud].flat();
  const expect = (claim: string, ok: unknown) => {
    if (!ok)
      throw new ProtocolError('ERR_INVALID_ID_TOKEN', `Unexpected ${claim} in the ID token`, { claim });
  };
  expect('iss', issuer && claims.iss === issuer && (!before || before.iss === issuer));
  expect('aud', audiences.includes(clientId) && (!before || `${before.aud}` === `${claims.aud}`));
  expect('azp', claims.azp === (audiences.length > 1 || 'azp' in claims ? clientId : undefined));
  expect('exp', typeof claims.exp === 'number' && now < (claims.exp + CLOCK_TOLERANCE) * 1000);
  expect('sub', typeof claims.sub === 'string' && (!before || before.sub === claims.sub));
  expect('nonce', refreshed || claims.nonce === nonce);
  return claims;
}
