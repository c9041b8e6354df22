import { dirname, join } from 'node:path';

/** The file the generated key-encryption secret is kept in, beside the database. */
export const MASTER_KEY_FILE = 'master.key';

/** Where the generated key-encryption secret lives: beside the database, to be backed up with it. */
export function masterKeyPath(databasePath: string): string {
  return join(dirname(databasePath), MASTER_KEY_FILE);
}

/** Where a generated first super user password is written when there is no terminal to show it on. */
export const ADMIN_PASSWORD_FILE = 'admin-password.txt';

export function adminPasswordPath(databasePath: string): string {
  return join(dirname(databasePath), ADMIN_PASSWORD_FILE);
}

/** Where a running server writes its process id, so that `restore` can refuse to pull the database from under it. */
export function serverPidPath(databasePath: string): string {
  return `${databasePath}.pid`;
}
