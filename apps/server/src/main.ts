#!/usr/bin/env -S node --import tsx
import { dirname, join } from 'node:path';
import { createAuditLog } from './audit/audit-log';
import { systemClock } from './clock';
import { type Config, ConfigError, helpText, loadConfig } from './config/config';
import { deriveKey } from './crypto/key-encryption';
import { loadMasterSecret } from './crypto/master-secret';
import { migrateToLatest, openDatabase } from './db/database';
import { startServer } from './server';
import { createSigningKeyStore } from './tokens/signing-keys';

// The only module that reads the environment and the command line.

async function serve(config: Config): Promise<void> {
  const server = await startServer(config);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing requests in flight, then closing the database…`);
    const force = setTimeout(() => {
      console.error('Requests did not finish within 10 s; exiting.');
      process.exit(1);
    }, 10_000);
    force.unref();
    server.close().then(
      () => {
        console.log('Stopped.');
        process.exit(0);
      },
      (error: Error) => {
        console.error('Could not stop cleanly:', error.message);
        process.exit(1);
      },
    );
  };
  // keys:rotate works from another process; the server re-reads keys every minute, or now on SIGHUP.
  process.on('SIGHUP', () => {
    server.services.keys.reload().then(
      () => console.log('SIGHUP: signing keys reloaded.'),
      (error: Error) => console.error('SIGHUP: could not reload the signing keys:', error.message),
    );
  });
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Printed once the signal handlers are in place: whoever waits for this line may stop us.
  console.log(`Matomo OAuth 2.0 server listening on ${server.url} (issuer ${server.issuer})`);
  console.log(`Metadata: ${server.issuer}/.well-known/oauth-authorization-server`);
  if (config.demo)
    console.log('Demo mode: sign in as demo / demo, or use the analytics_app client of the plugin README.');
}

/** `keys:rotate` and `keys:list` work on the database directly; a running server picks changes up within a minute, or at once on SIGHUP. */
async function keys(command: 'keys:rotate' | 'keys:list', config: Config): Promise<void> {
  const db = openDatabase(config.databasePath);
  try {
    await migrateToLatest(db);
    const { secret } = loadMasterSecret(
      config.keyEncryptionSecret,
      join(dirname(config.databasePath), 'master.key'),
    );
    const store = createSigningKeyStore({
      db,
      encryptionKey: deriveKey(secret, 'signing-keys'),
      clock: systemClock,
      accessTokenTtlMs: config.accessTokenTtl * 1000,
    });
    await store.ensureKey();
    if (command === 'keys:rotate') {
      const kid = await store.rotate(config.keyRotationLead * 1000);
      const audit = createAuditLog({ db, clock: systemClock });
      audit.record('key.created', {
        detail: { kid, signs_from: new Date(Date.now() + config.keyRotationLead * 1000).toISOString() },
      });
      await audit.close();
      const pruned = await store.prune();
      console.log(`New signing key ${kid}: published now, signs from ${config.keyRotationLead} s from now.`);
      if (pruned > 0) console.log(`Removed ${pruned} retired key(s) whose tokens have all expired.`);
    }
    for (const key of store.describe()) {
      const state = key.signing ? 'signing' : key.published ? 'published' : 'retired';
      console.log(
        `${key.kid}  ${state.padEnd(9)}  created ${new Date(key.createdAt).toISOString()}  signs from ${new Date(key.signsFrom).toISOString()}`,
      );
    }
  } finally {
    await db.destroy();
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(helpText());
    return;
  }
  const command = argv[0] && !argv[0].startsWith('-') ? argv[0] : 'serve';
  const config = loadConfig(
    argv.filter((arg) => arg !== command),
    process.env,
  );
  if (command === 'serve') return serve(config);
  if (command === 'keys:rotate' || command === 'keys:list') return keys(command, config);
  throw new ConfigError(`Unknown command "${command}". See --help.`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`${(error as Error).message}\n\n${helpText()}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
