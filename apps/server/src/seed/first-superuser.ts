import { randomBytes } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../config/clock';
import { hashPassword } from '../crypto/password';
import type { Db } from '../db/database';
import { passwordProblem } from '../users/password-policy';
import * as users from '../users/user.repository';

export interface FirstSuperuser {
  login: string;
  email: string;
  /** undefined: generate one and return it, to be printed once. */
  password: string | undefined;
}

/**
 * Creates the first super user when the database has no user yet. Returns the generated
 * password (if one was generated) so that it can be shown once; it is never stored in clear.
 */
export async function ensureFirstSuperuser(
  { db, clock, audit }: { db: Db; clock: Clock; audit: AuditLog },
  admin: FirstSuperuser,
): Promise<string | undefined> {
  if ((await users.count(db)) > 0) return undefined;
  if (admin.password !== undefined) {
    const problem = passwordProblem(admin.password, admin.login);
    if (problem) throw new Error(`ADMIN_PASSWORD: ${problem}`);
  }
  const generated = admin.password === undefined ? randomBytes(18).toString('base64url') : undefined;
  await users.insert(db, {
    login: admin.login,
    email: admin.email,
    password_hash: await hashPassword(admin.password ?? (generated as string)),
    superuser: 1,
    created_at: clock(),
  });
  audit.record('user.created', { actor: admin.login, detail: { superuser: true } });
  return generated;
}
