import type { Db } from '../db/database';

/** Access tokens revoked before they expired (RFC 7009). */
export function createRevokedTokenRepository(db: Db) {
  return {
    async add(jti: string, expiresAt: number): Promise<void> {
      await db
        .insertInto('revoked_tokens')
        .values({ jti, expires_at: expiresAt })
        .onConflict((oc) => oc.column('jti').doNothing())
        .execute();
    },
  };
}

export type RevokedTokenRepository = ReturnType<typeof createRevokedTokenRepository>;
