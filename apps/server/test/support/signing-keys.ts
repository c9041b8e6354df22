import { masterKeyPath } from '../../src/config/paths';
import { loadMasterSecret } from '../../src/crypto/master-secret';
import { createAccessTokenCodec } from '../../src/tokens/access-token';
import { openSigningKeyStore, type SigningKeyStore } from '../../src/tokens/signing-keys';
import type { TestServer } from '../test-server';

/**
 * The server's signing keys, opened from its database and key file as `keys:rotate` opens them:
 * for tests that sign with the real key (to alter a token's claims) or rotate keys.
 */
export async function openSigningKeys(server: TestServer) {
  const { config, clock } = server;
  const { secret } = loadMasterSecret(config.keyEncryptionSecret, masterKeyPath(config.databasePath));
  const keys = await openSigningKeyStore({
    db: server.db,
    masterSecret: secret,
    clock,
    accessTokenTtlMs: config.accessTokenTtl * 1000,
  });
  const codec = createAccessTokenCodec({
    keys,
    clock,
    issuer: server.issuer,
    audience: server.issuer,
    ttlSeconds: config.accessTokenTtl,
  });
  return { keys, codec };
}

/** The same key store, counting how often it is asked to re-read the keys from the database. */
export function countingRefreshes(keys: SigningKeyStore): { keys: SigningKeyStore; refreshes: () => number } {
  let refreshes = 0;
  return {
    keys: {
      ...keys,
      refresh: (maxAgeMs?: number) => {
        refreshes++;
        return keys.refresh(maxAgeMs);
      },
    },
    refreshes: () => refreshes,
  };
}
