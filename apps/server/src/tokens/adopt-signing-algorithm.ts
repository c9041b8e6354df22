import type { AuditLog } from '../audit/audit-log';
import type { Logger } from '../logging/logger';
import type { SigningAlgorithm } from '../protocol/signing-algorithms';
import type { SigningKeyStore } from './signing-keys';

/**
 * At start-up: when ACCESS_TOKEN_ALG differs from the newest key's algorithm, a key of the new
 * algorithm is made as `keys rotate` makes one (published now, signing after KEY_ROTATION_LEAD), so
 * that clients that cache the JWK Set see it before it signs and tokens already issued keep
 * verifying with their own key until they expire.
 */
export async function adoptSigningAlgorithm({
  keys,
  alg,
  leadSeconds,
  logger,
  audit,
}: {
  keys: SigningKeyStore;
  alg: SigningAlgorithm;
  leadSeconds: number;
  logger: Logger;
  audit: AuditLog;
}): Promise<void> {
  const adopted = await keys.adoptAlgorithm(leadSeconds * 1000);
  if (adopted === undefined) return;
  const signsFrom = new Date(adopted.signsFrom).toISOString();
  audit.record('key.created', { detail: { kid: adopted.kid, alg, signs_from: signsFrom } });
  logger.info(
    { kid: adopted.kid, alg, signsFrom },
    `ACCESS_TOKEN_ALG is ${alg}: a new ${alg} signing key is published now and signs from ${signsFrom}; the older keys stay published until their tokens expire`,
  );
}
