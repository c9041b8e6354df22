import { createHash } from 'node:crypto';
import { compactVerify, errors as joseErrors } from 'jose';
import type { Clock } from '../config/clock';
import type { SigningAlgorithm } from '../protocol/signing-algorithms';
import { InvalidTokenError, verificationKeyOf } from './access-token';
import { signJwt } from './signing-algorithm';
import type { SigningKeyStore } from './signing-keys';

/** What an ID token says about one sign-in (OpenID Connect Core §2). */
export interface IdTokenRequest {
  /** The user's login. */
  sub: string;
  clientId: string;
  /** When the user entered their password, ms. */
  authTime: number;
  /** The sign-in session's public id. */
  sid: string | null;
  /** The authorization request's nonce: on the first ID token of a grant only (§12.2). */
  nonce?: string | null | undefined;
  /** The access token issued with it, for `at_hash` (§3.1.3.6). */
  accessToken: string;
}

/** The claims of an ID token hint this server signed (RP-Initiated Logout 1.0 §2). */
export interface IdTokenHint {
  sub: string;
  aud: string;
  sid: string | undefined;
}

/**
 * `at_hash` (Core §3.1.3.6): the left half of the access token's hash, base64url. The hash is the
 * one of the ID token's `alg`: SHA-256 for RS256 and ES256; for EdDSA over Ed25519, SHA-512 (the
 * Core errata, as certified providers do).
 */
// Stryker disable next-line StringLiteral: every alg but EdDSA hashes with SHA-256, so the default's name only documents it
export function accessTokenHash(accessToken: string, alg: SigningAlgorithm = 'RS256'): string {
  const digest = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256')
    .update(accessToken)
    .digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/**
 * ID tokens: signed with the keys (and so the algorithm) that sign access tokens, `typ: JWT` (never `at+jwt`, so that
 * neither can pass for the other), audience the client.
 */
export function createIdTokenCodec({
  keys,
  clock,
  issuer,
  ttlSeconds,
}: {
  keys: SigningKeyStore;
  clock: Clock;
  issuer: string;
  ttlSeconds: number;
}) {
  return {
    async sign(request: IdTokenRequest): Promise<string> {
      await keys.refresh(0);
      const signer = keys.signer();
      const iat = Math.floor(clock() / 1000);
      const claims = {
        iss: issuer,
        sub: request.sub,
        aud: request.clientId,
        exp: iat + ttlSeconds,
        iat,
        auth_time: Math.floor(request.authTime / 1000),
        ...(request.nonce ? { nonce: request.nonce } : {}),
        ...(request.sid === null ? {} : { sid: request.sid }),
        at_hash: accessTokenHash(request.accessToken, signer.alg),
      };
      return signJwt(signer, { typ: 'JWT', kid: signer.kid }, claims);
    },

    /**
     * Reads an `id_token_hint`: an ID token this server signed with a key it still has, for any
     * client, expired or not (a user may sign out long after signing in). Undefined for anything else.
     */
    async readHint(token: string): Promise<IdTokenHint | undefined> {
      try {
        const key = await verificationKeyOf(keys, token);
        // Only the algorithm of the key the kid names.
        const { payload, protectedHeader } = await compactVerify(token, key.publicKey, {
          algorithms: [key.alg],
        });
        if (protectedHeader.typ !== 'JWT') return undefined;
        const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
        const { iss, sub, aud, sid } = claims;
        if (iss !== issuer || typeof sub !== 'string' || typeof aud !== 'string') return undefined;
        return { sub, aud, sid: typeof sid === 'string' ? sid : undefined };
      } catch (error) {
        // A token that is no ID token of ours counts as none; a failing database does not.
        if (
          error instanceof joseErrors.JOSEError ||
          error instanceof InvalidTokenError ||
          error instanceof SyntaxError
        )
          return undefined;
        throw error;
      }
    },
  };
}

export type IdTokenCodec = ReturnType<typeof createIdTokenCodec>;
