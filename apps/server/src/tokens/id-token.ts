import { createHash } from 'node:crypto';
import { compactVerify, errors as joseErrors, SignJWT } from 'jose';
import type { Clock } from '../config/clock';
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

/** Left half of the SHA-256 of the access token, base64url: `at_hash` for RS256. */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
}

/**
 * ID tokens: RS256 with the keys that sign access tokens, `typ: JWT` (never `at+jwt`, so that
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
        at_hash: accessTokenHash(request.accessToken),
      };
      const { kid, privateKey } = keys.signer();
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(privateKey);
    },

    /**
     * Reads an `id_token_hint`: an ID token this server signed with a key it still has, for any
     * client, expired or not (a user may sign out long after signing in). Undefined for anything else.
     */
    async readHint(token: string): Promise<IdTokenHint | undefined> {
      try {
        const { payload, protectedHeader } = await compactVerify(
          token,
          async (header) => {
            if (!keys.verificationKey(header.kid)) await keys.refresh();
            const key = keys.verificationKey(header.kid);
            if (!key) throw new joseErrors.JWKSNoMatchingKey();
            return key;
          },
          { algorithms: ['RS256'] },
        );
        if (protectedHeader.typ !== 'JWT') return undefined;
        const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
        const { iss, sub, aud, sid } = claims;
        if (iss !== issuer || typeof sub !== 'string' || typeof aud !== 'string') return undefined;
        return { sub, aud, sid: typeof sid === 'string' ? sid : undefined };
      } catch (error) {
        // A token that is no ID token of ours counts as none; a failing database does not.
        if (error instanceof joseErrors.JOSEError || error instanceof SyntaxError) return undefined;
        throw error;
      }
    },
  };
}

export type IdTokenCodec = ReturnType<typeof createIdTokenCodec>;
