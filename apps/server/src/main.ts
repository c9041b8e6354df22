// No shebang here: the package's bin is the build, `dist/main.js`, whose shebang tsup adds (see
// tsup.config.ts). In development: `node --import tsx src/main.ts`.
import cluster from 'node:cluster';
import { runCli } from './cli/run-cli';
import { startPrimary, type WorkerListening } from './cluster-primary';
import { type Config, ConfigError, loadConfig } from './config/config';
import { helpText } from './config/help';
import { basePathOf, hostRootMetadataPath } from './http/base-path';
import { createLogger, type Logger } from './logging/logger';
import { demoDashboardUrl } from './seed/demo-dashboard-client';
import { startServer } from './server';
import { KeyEncryptionSecretError } from './tokens/key-encryption-secret';

// The only module that reads the environment, the command line and the terminal.

async function serve(config: Config, logger: Logger): Promise<void> {
  if (config.workers > 1 && cluster.isPrimary) return servePrimary(config, logger);
  const worker = cluster.isWorker;
  const server = await startServer(config, {
    logger,
    clusterWorker: worker,
    // The generated password goes to the operator's terminal, never into the log; without a
    // terminal, the server writes it once to a file only its user can read.
    ...(process.stdout.isTTY ? { announce: (message: string) => process.stdout.write(`${message}\n`) } : {}),
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
  // `keys rotate` works from another process; the server re-reads keys every minute, or now on SIGHUP.
  process.on('SIGHUP', () => {
    server.reloadKeys().then(
      () => logger.info('SIGHUP: signing keys reloaded.'),
      (error: unknown) => logger.error({ err: error }, 'SIGHUP: could not reload the signing keys'),
    );
  });
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (worker) {
    // Ctrl-C reaches every process of the terminal: the primary decides, and sends SIGTERM.
    process.on('SIGINT', () => {});
    const listening: WorkerListening = {
      type: 'matomo-oauth2:listening',
      url: server.url,
      issuer: server.issuer,
    };
    process.send?.(listening);
    return;
  }
  process.on('SIGINT', () => stop('SIGINT'));
  announceListening(config, logger, server);
}

/** WORKERS=N: this process only supervises N workers, which serve on the one port. */
async function servePrimary(config: Config, logger: Logger): Promise<void> {
  const primary = await startPrimary(config, logger);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    primary.stop(signal).then((code) => {
      logger.info('Stopped.');
      process.exit(code);
    });
  };
  process.on('SIGHUP', () => {
    logger.info('SIGHUP: workers reload the signing keys.');
    primary.signal('SIGHUP');
  });
  // A zero-downtime restart onto the code on disk: the workers are replaced one at a time.
  process.on('SIGUSR2', () => {
    logger.info('SIGUSR2: replacing the workers one at a time…');
    primary.restartWorkers().then(
      () => logger.info('SIGUSR2: every worker replaced.'),
      (error: unknown) => logger.error({ err: error }, 'SIGUSR2: a worker could not be replaced'),
    );
  });
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  announceListening(config, logger, primary, ` with ${config.workers} workers`);
}

function announceListening(
  config: Config,
  logger: Logger,
  server: { url: string; issuer: string },
  workers = '',
): void {
  // Logged once the signal handlers are in place: whoever waits for this line may stop us.
  logger.info(
    { url: server.url, issuer: server.issuer, workers: config.workers },
    `Matomo OAuth 2.0 server listening on ${server.url} (issuer ${server.issuer})${workers}`,
  );
  // RFC 8414 §3.1: at the host's root, the issuer's path after the well-known segment.
  const issuer = new URL(server.issuer);
  logger.info(`Metadata: ${issuer.origin}${hostRootMetadataPath(basePathOf(server.issuer))}`);
  if (config.demo) {
    logger.info('Demo mode: sign in as demo / demo, or use the analytics_app client of the plugin README.');
    logger.info(
      { url: demoDashboardUrl(server.issuer) },
      `Demo dashboard: ${demoDashboardUrl(server.issuer)} (sign in as demo / demo)`,
    );
  }
}

async function main(argv: string[]): Promise<void> {
  const first = argv[0];
  // Every command but `serve` is the operator's command line, with its own help and errors.
  if (first !== undefined && !first.startsWith('-') && first !== 'serve') {
    process.exitCode = await runCli(argv, process.env, {
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
      isTTY: process.stdin.isTTY === true,
    });
    return;
  }
  const args = first === 'serve' ? argv.slice(1) : argv;
  if (args.includes('--help') || args.includes('-h')) {
    console.log(helpText());
    return;
  }
  const config = loadConfig(args, process.env);
  const logger = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY === true });
  try {
    await serve(config, logger);
  } catch (error) {
    if (error instanceof KeyEncryptionSecretError) {
      // The operator's to fix, not a bug: one line that names the key file, no stack.
      logger.fatal(error.message);
      console.error(`error: ${error.message}`);
    } else {
      // Past the configuration, a failure (the port taken, a migration failed) is the log's to tell.
      logger.fatal({ err: error }, 'serve failed');
    }
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
