import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import type { Clock } from '../config/clock';
import { publicRandomId } from '../crypto/public-random-id';
import { grantedScope, type IdentityScope, parseGrantedScope } from '../protocol/identity-scopes';
import type { Scope } from '../protocol/scopes';
import { signJwt } from './signing-algorithm';
import type { SigningKeyStore, VerificationKey } from './signing-keys';

/** The claims of an access token (RFC 9068 §2.2), plus ours. */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  client_id: string;
  /** The Matomo scope, then the identity scopes granted (`matomo:read openid`). */
  scope: string;
  iat: number;
  exp: number;
  jti: string;
  /** The grant the token descends from (authorization code and refresh grants). */
  gid?: string;
  /** For client credentials tokens: the login of the client's owner, whose access the token uses. */
  owner?: string;
}

/**
 * A token that verified: its claims with the scope read (its Matomo scope, and its identity
 * scopes apart), and the `kid` of the key that signed it (from its header).
 */
export type VerifiedAccessToken = Omit<AccessTokenClaims, 'scope'> & {
  scope: Scope;
  identityScopes: IdentityScope[];
  kid: string;
};

export interface AccessTokenRequest {
  sub: string;
  clientId: string;
  scope: Scope;
  /** The identity scopes granted with it (authorization code and refresh grants). */
  identityScopes?: readonly IdentityScope[];
  grantId?: string;
  owner?: string;
  /** Lets the caller record the jti before the token exists. */
  jti?: string;
}

/** Why a token was refused; shown to the caller in `error_description`. */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/** For `.catch()` after `verify` where a refused token simply counts as none: other errors go on. */
export function unlessInvalidToken(error: unknown): undefined {
  if (error instanceof InvalidTokenError) return undefined;
  throw error;
}

export interface AccessTokenCodecOptions {
  keys: SigningKeyStore;
  clock: Clock;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export function createAccessTokenCodec({
  keys,
  clock,
  issuer,
  audience,
  ttlSeconds,
}: AccessTokenCodecOptions) {
  return {
    ttlSeconds,

    newJti(): string {
      return publicRandomId();
    },

    /** Signs a JWT with `typ: at+jwt`, the current key's `kid` and that key's algorithm. */
    async sign(request: AccessTokenRequest): Promise<{ token: string; claims: AccessTokenClaims }> {
      // Another process may have revoked the key that signs (`keys revoke`): never sign with it
      // again. One cheap read (shared by concurrent signers), and a reload only when the keys changed.
      await keys.refresh(0);
      const iat = Math.floor(clock() / 1000);
      const claims: AccessTokenClaims = {
        iss: issuer,
        sub: request.sub,
        aud: audience,
        client_id: request.clientId,
        scope: grantedScope(request.scope, request.identityScopes ?? []),
        iat,
        exp: iat + ttlSeconds,
        jti: request.jti ?? publicRandomId(),
        ...(request.grantId === undefined ? {} : { gid: request.grantId }),
        ...(request.owner === undefined ? {} : { owner: request.owner }),
      };
      const signer = keys.signer();
      const token = await signJwt(signer, { typ: 'at+jwt', kid: signer.kid }, claims);
      return { token, claims };
    },

    /**
     * Verifies signature, `alg`, `typ`, `kid`, `iss`, `aud` and `exp` (RFC 9068 §4). Revocation
     * (of the token, or of the key that signed it) is checked elsewhere, against the database.
     */
    async verify(token: string): Promise<VerifiedAccessToken> {
      let verified: Awaited<ReturnType<typeof jwtVerify>>;
      let key: VerificationKey | undefined;
      try {
        key = await verificationKeyOf(keys, token);
        verified = await jwtVerify(token, key.publicKey, {
          issuer,
          audience,
          // The algorithm of the key the kid names, and only it: no token picks its own.
          algorithms: [key.alg],
          typ: 'at+jwt',
          currentDate: new Date(clock()),
          requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'scope'],
        });
      } catch (error) {
        throw toInvalidToken(error, key);
      }
      const { payload, protectedHeader } = verified;
      const { sub, client_id, scope, jti, gid, owner } = payload as Record<string, unknown>;
      const granted = typeof scope === 'string' ? parseGrantedScope(scope) : undefined;
      if (
        typeof sub !== 'string' ||
        typeof client_id !== 'string' ||
        granted === undefined ||
        typeof jti !== 'string' ||
        (gid !== undefined && typeof gid !== 'string') ||
        (owner !== undefined && typeof owner !== 'string')
      ) {
        throw new InvalidTokenError('The access token has malformed claims');
      }
      // verificationKey found a key by this kid, so the header has one.
      return {
        ...(payload as unknown as AccessTokenClaims),
        scope: granted.scope,
        identityScopes: granted.identity,
        kid: String(protectedHeader.kid),
      };
    },
  };
}

export type AccessTokenCodec = ReturnType<typeof createAccessTokenCodec>;

/**
 * The published key the token's `kid` names. A kid not seen yet may be a key another process just
 * made (`keys revoke` replaces the signer), so the keys are re-read (at most once a second) first.
 */
export async function verificationKeyOf(keys: SigningKeyStore, token: string): Promise<VerificationKey> {
  let kid: unknown;
  try {
    ({ kid } = decodeProtectedHeader(token));
  } catch {
    throw new InvalidTokenError('The access token is malformed');
  }
  if (typeof kid !== 'string') throw new joseErrors.JWKSNoMatchingKey();
  if (!keys.verificationKey(kid)) await keys.refresh();
  const key = keys.verificationKey(kid);
  if (!key) throw new joseErrors.JWKSNoMatchingKey();
  return key;
}

/**
 * A token jose refuses becomes an `InvalidTokenError`; anything else (a refusal already made, or an
 * error that is not the token's fault) is rethrown as it is.
 */
function toInvalidToken(error: unknown, key: VerificationKey | undefined): InvalidTokenError {
  if (!(error instanceof joseErrors.JOSEError)) throw error;
  if (error instanceof joseErrors.JWKSNoMatchingKey)
    return new InvalidTokenError('The access token was signed with an unknown key');
  if (error instanceof joseErrors.JWTExpired) return new InvalidTokenError('The access token has expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return new InvalidTokenError(`The access token's ${error.claim} claim is not valid here`);
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed)
    return new InvalidTokenError(
      // Stryker disable next-line OptionalChaining,StringLiteral: jose refuses an alg only in jwtVerify, after the key was found
      `The access token must be signed with ${key?.alg ?? 'the algorithm of its key'}`,
    );
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new InvalidTokenError('The access token signature does not verify');
  }
  return new InvalidTokenError('The access token is malformed');
}
