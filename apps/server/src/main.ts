#!/usr/bin/env -S node --import tsx
import { createAuditLog } from './audit/audit-log';
import { systemClock } from './config/clock';
import { type Config, ConfigError, loadConfig } from './config/config';
import { helpText } from './config/help';
import { masterKeyPath } from './config/paths';
import { loadMasterSecret } from './crypto/master-secret';
import { migrateToLatest, openDatabase } from './db/database';
import { createLogger, type Logger } from './logging/logger';
import { startServer } from './server';
import { openSigningKeyStore } from './tokens/signing-keys';

// The only module that reads the environment, the command line and the terminal.

async function serve(config: Config, logger: Logger): Promise<void> {
  const server = await startServer(config, {
    logger,
    // The generated password goes to the operator's terminal, never into the log.
    announce: (message) => process.stdout.write(`${message}\n`),
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${signal}: finishing requests in flight, then closing the database…`);
    const force = setTimeout(() => {
      logger.error('Requests did not finish within 10 s; exiting.');
      process.exit(1);
    }, 10_000);
    force.unref();
    server.close().then(
      () => {
        logger.info('Stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'Could not stop cleanly');
        process.exit(1);
      },
    );
  };
  // keys:rotate works from another process; the server re-reads keys every minute, or now on SIGHUP.
  process.on('SIGHUP', () => {
    server.reloadKeys().then(
      () => logger.info('SIGHUP: signing keys reloaded.'),
      (error: unknown) => logger.error({ err: error }, 'SIGHUP: could not reload the signing keys'),
    );
  });
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Logged once the signal handlers are in place: whoever waits for this line may stop us.
  logger.info(
    { url: server.url, issuer: server.issuer },
    `Matomo OAuth 2.0 server listening on ${server.url} (issuer ${server.issuer})`,
  );
  logger.info(`Metadata: ${server.issuer}/.well-known/oauth-authorization-server`);
  if (config.demo)
    logger.info('Demo mode: sign in as demo / demo, or use the analytics_app client of the plugin README.');
}

/** `keys:rotate` and `keys:list` work on the database directly; a running server picks changes up within a minute, or at once on SIGHUP. */
async function keys(command: 'keys:rotate' | 'keys:list', config: Config, logger: Logger): Promise<void> {
  const db = openDatabase(config.databasePath);
  try {
    await migrateToLatest(db);
    const { secret } = loadMasterSecret(config.keyEncryptionSecret, masterKeyPath(config.databasePath));
    const store = await openSigningKeyStore({
      db,
      masterSecret: secret,
      clock: systemClock,
      accessTokenTtlMs: config.accessTokenTtl * 1000,
    });
    if (command === 'keys:rotate') {
      const kid = await store.rotate(config.keyRotationLead * 1000);
      const signsFrom = new Date(Date.now() + config.keyRotationLead * 1000).toISOString();
      const audit = createAuditLog({ db, clock: systemClock, logger });
      audit.record('key.created', { detail: { kid, signs_from: signsFrom } });
      await audit.close();
      logger.info(
        { kid, signsFrom },
        `New signing key ${kid}: published now, signs from ${config.keyRotationLead} s from now.`,
      );
      const pruned = await store.prune();
      if (pruned > 0)
        logger.info({ pruned }, `Removed ${pruned} retired key(s) whose tokens have all expired.`);
    }
    // The listing is the command's output, not a log.
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
  if (command !== 'serve' && command !== 'keys:rotate' && command !== 'keys:list')
    throw new ConfigError(`Unknown command "${command}". See --help.`);
  const logger = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY === true });
  try {
    await (command === 'serve' ? serve(config, logger) : keys(command, config, logger));
  } catch (error) {
    // Past the configuration, a failure (the port taken, a migration failed) is the log's to tell.
    logger.fatal({ err: error }, `${command} failed`);
    process.exit(1);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`${(error as Error).message}\n\n${helpText()}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
