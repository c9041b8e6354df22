import type { Db } from '../db/database';
import type { AuthorizationCodeTable } from '../db/schema';

export type AuthorizationCodeRow = AuthorizationCodeTable;

export function createAuthorizationCodeRepository(db: Db) {
  return {
    async insert(code: AuthorizationCodeRow): Promise<void> {
      await db.insertInto('authorization_codes').values(code).execute();
    },

    find(digest: string): Promise<AuthorizationCodeRow | undefined> {
      return db
        .selectFrom('authorization_codes')
        .selectAll()
        .where('code_digest', '=', digest)
        .executeTakeFirst();
    },
  };
}

export type AuthorizationCodeRepository = ReturnType<typeof createAuthorizationCodeRepository>;
