import { deleteExpiredNonces } from './admin/spent-nonces';
import { pruneAuditLog } from './audit/audit-log';
import type { Clock } from './config/clock';
import type { Db } from './db/database';
import type { Logger } from './logging/logger';
import { deleteExpiredSessions } from './sessions/session-store';
import * as codes from './tokens/authorization-code.repository';
import * as grants from './tokens/grant.repository';
import * as refreshTokens from './tokens/refresh-token.repository';
import * as revokedTokens from './tokens/revoked-token.repository';
import type { SigningKeyStore } from './tokens/signing-keys';

export interface SweepOptions {
  db: Db;
  clock: Clock;
  /** Access token lifetime, seconds: a grant is kept that long past its end, for its last token. */
  accessTokenTtl: number;
  /** Days audit entries are kept (0: forever). */
  auditRetentionDays: number;
}

/**
 * Forgets what has expired: codes, refresh tokens, grants, revocations, sessions, spent nonces,
 * and audit entries past their retention.
 */
export async function sweepExpired({
  db,
  clock,
  accessTokenTtl,
  auditRetentionDays,
}: SweepOptions): Promise<void> {
  const now = clock();
  // A code is kept a day past its expiry, so that a late replay is still recognised as one.
  await codes.deleteExpired(db, now - 86_400_000);
  await refreshTokens.deleteExpired(db, now);
  await grants.deleteExpired(db, now - accessTokenTtl * 1000);
  await revokedTokens.deleteExpired(db, now);
  await deleteExpiredSessions(db, now);
  await deleteExpiredNonces(db, now);
  if (auditRetentionDays > 0) await pruneAuditLog(db, now - auditRetentionDays * 86_400_000);
}

/**
 * Periodic upkeep: `sweepExpired`, then re-reading the signing keys, which `keys:rotate` may have
 * changed from another process.
 */
export function startHousekeeping(
  options: SweepOptions & { logger: Logger; keys: SigningKeyStore },
  intervalMs = 60_000,
) {
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running
      .then(async () => {
        await sweepExpired(options);
        await options.keys.reload();
      })
      .catch((error: unknown) => options.logger.error({ err: error }, 'housekeeping failed'));
  }, intervalMs);
  timer.unref();

  return {
    async stop(): Promise<void> {
      clearInterval(timer);
      await running;
    },
  };
}
