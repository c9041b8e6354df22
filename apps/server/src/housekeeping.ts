import type { Services } from './services';

/**
 * Periodic upkeep: forgets what has expired (codes, refresh tokens, grants, revocations,
 * sessions, audit entries past their retention) and re-reads the signing keys, which `keys:rotate` may have changed from another
 * process.
 */
export function startHousekeeping(services: Services, intervalMs = 60_000) {
  const { db, clock } = services;
  let running: Promise<void> = Promise.resolve();

  async function sweep(): Promise<void> {
    const now = clock();
    await db
      .deleteFrom('authorization_codes')
      .where('expires_at', '<', now - 86_400_000)
      .execute();
    await db.deleteFrom('refresh_tokens').where('expires_at', '<', now).execute();
    await db
      .deleteFrom('grants')
      .where('expires_at', '<', now - services.settings.accessTokenTtl * 1000)
      .execute();
    await db.deleteFrom('revoked_tokens').where('expires_at', '<', now).execute();
    await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
    const retention = services.settings.auditRetentionDays ?? 0;
    if (retention > 0)
      await db
        .deleteFrom('audit_log')
        .where('created_at', '<', now - retention * 86_400_000)
        .execute();
    await services.keys.reload();
  }

  const timer = setInterval(() => {
    running = running
      .then(sweep)
      .catch((error: Error) => console.error('housekeeping failed: %s', error.message));
  }, intervalMs);
  timer.unref();

  return {
    sweep,
    async stop(): Promise<void> {
      clearInterval(timer);
      await running;
    },
  };
}
