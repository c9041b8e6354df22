import { existsSync } from 'node:fs';
import { MASTER_KEY_FILE, masterKeyPath } from '../config/paths';
import { loadMasterSecret } from '../crypto/master-secret';
import type { Db } from '../db/database';
import { decryptsSigningKeys } from './signing-keys';

/** The key-encryption secret is missing or does not open the database's signing keys. */
export class KeyEncryptionSecretError extends Error {
  override readonly name = 'KeyEncryptionSecretError';
}

export interface KeyEncryptionSecretOptions {
  /** KEY_ENCRYPTION_SECRET(_FILE), when the operator set it. */
  provided: string | undefined;
  /** The configured database: the generated secret lives beside it. */
  databasePath: string;
  /** May a secret be generated when there is none? Never for a database that has signing keys. */
  create?: boolean;
  /** How messages name the database (a backup being restored is not the configured path). */
  label?: string;
}

/**
 * The operator's secret for a database: KEY_ENCRYPTION_SECRET when set, otherwise `master.key`
 * beside the database, generated on a database without signing keys. A database that already has
 * signing keys never gets a new secret (it could not decrypt them: the signing keys would be lost
 * and the failure would come later, as "unable to authenticate data"); the secret must decrypt
 * every key. Both failures name the key file.
 */
export async function openKeyEncryptionSecret(
  db: Db,
  { provided, databasePath, create = true, label = databasePath }: KeyEncryptionSecretOptions,
): Promise<{ secret: Buffer; createdFile: string | undefined }> {
  const file = masterKeyPath(databasePath);
  const rows = await db.selectFrom('signing_keys').select(['kid', 'private_key']).execute();
  if (provided === undefined && !existsSync(file) && (rows.length > 0 || !create)) {
    throw new KeyEncryptionSecretError(
      `the key-encryption secret ${file} is missing, and ${label} has ${rows.length} signing key(s) encrypted with it: put back the ${MASTER_KEY_FILE} kept with this database (or set KEY_ENCRYPTION_SECRET_FILE)`,
    );
  }
  const { secret, created } = loadMasterSecret(provided, file);
  if (!decryptsSigningKeys(secret, rows)) {
    const source = provided === undefined ? file : 'KEY_ENCRYPTION_SECRET';
    throw new KeyEncryptionSecretError(
      `the key-encryption secret in ${source} does not decrypt the signing keys of ${label}`,
    );
  }
  return { secret, createdFile: created ? file : undefined };
}
