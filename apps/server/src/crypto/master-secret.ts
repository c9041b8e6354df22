import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';

/**
 * The secret that encrypts signing keys at rest and keys the anti-CSRF tokens. The operator may
 * provide it; otherwise it is generated once into a file only the server's user can read.
 */
export function loadMasterSecret(
  provided: string | undefined,
  file: string,
): { secret: Buffer; created: boolean } {
  if (provided) return { secret: Buffer.from(provided, 'utf8'), created: false };
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) chmodSync(file, 0o600);
    return { secret: Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url'), created: false };
  }
  const secret = randomBytes(32);
  writeFileSync(file, `${secret.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  return { secret, created: true };
}
