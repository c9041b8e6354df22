import { randomBytes } from 'node:crypto';
import { hashPassword } from '../crypto/password';
import type { Services } from '../services';

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
  services: Services,
  admin: FirstSuperuser,
): Promise<string | undefined> {
  if ((await services.users.count()) > 0) return undefined;
  const generated = admin.password === undefined ? randomBytes(18).toString('base64url') : undefined;
  await services.users.insert({
    login: admin.login,
    email: admin.email,
    password_hash: await hashPassword(admin.password ?? (generated as string)),
    superuser: 1,
    created_at: services.clock(),
  });
  services.audit.record('user.created', { actor: admin.login, detail: { superuser: true } });
  return generated;
}
