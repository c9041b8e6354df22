import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { SigningKeyStore } from '../tokens/signing-keys';
import type { ReadinessCheck } from './health';

export interface ReadinessCheckOptions {
  db: Db;
  keys: Pick<SigningKeyStore, 'signer'>;
  /** How long the database may take to answer `select 1`, ms. */
  timeoutMs?: number;
}

/** Whether `select 1` answers within the time allowed (a hung pool must not hang the probe). */
async function databaseAnswers(db: Db, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const query = sql`select 1`.execute(db).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([query, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Ready when the database answers and a signing key signs now. */
export function createReadinessCheck({ db, keys, timeoutMs = 2000 }: ReadinessCheckOptions): ReadinessCheck {
  return async function checkReadiness() {
    try {
      keys.signer();
    } catch {
      return 'no signing key is loaded';
    }
    if (!(await databaseAnswers(db, timeoutMs))) return 'the database does not answer';
    return undefined;
  };
}
