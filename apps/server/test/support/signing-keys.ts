import { masterKeyPath } from '../../src/config/paths';
import { deriveKey } from '../../src/crypto/key-encryption';
import { loadMasterSecret } from '../../src/crypto/master-secret';
import { createAccessTokenCodec } from '../../src/tokens/access-token';
import { createSigningKeyStore } from '../../src/tokens/signing-keys';
import type { TestServer } from '../test-server';

/**
 * The server's signing keys, opened from its database and key file as `keys:rotate` opens them:
 * for tests that sign with the real key (to alter a token's claims) or rotate keys.
 */
export async function openSigningKeys(server: TestServer) {
  const { config, clock } = server;
  const { secret } = loadMasterSecret(config.keyEncryptionSecret, masterKeyPath(config.databasePath));
  const keys = createSigningKeyStore({
    db: server.db,
    encryptionKey: deriveKey(secret, 'signing-keys'),
    clock,
    accessTokenTtlMs: config.accessTokenTtl * 1000,
  });
  await keys.reload();
  const codec = createAccessTokenCodec({
    keys,
    clock,
    issuer: server.issuer,
    audience: server.issuer,
    ttlSeconds: config.accessTokenTtl,
  });
  return { keys, codec };
}
