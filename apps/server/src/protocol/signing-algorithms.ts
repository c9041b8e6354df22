/**
 * The JWS algorithms this server signs tokens with (ACCESS_TOKEN_ALG): RS256 is what the Matomo
 * plugin and most clients expect; ES256 (P-256) and EdDSA (Ed25519) sign about ten times faster.
 */
export const signingAlgorithms = ['RS256', 'ES256', 'EdDSA'] as const;

export type SigningAlgorithm = (typeof signingAlgorithms)[number];

export function isSigningAlgorithm(value: unknown): value is SigningAlgorithm {
  return (signingAlgorithms as readonly unknown[]).includes(value);
}
