import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { createApp } from './app';
import { type Clock, systemClock } from './clock';
import type { Config } from './config/config';
import { loadMasterSecret } from './crypto/master-secret';
import { migrateToLatest, openDatabase } from './db/database';
import { startHousekeeping } from './housekeeping';
import { matomoApi } from './matomo/matomo-api.routes';
import { matomoMethods } from './matomo/methods';
import { seedDemo } from './seed/demo';
import { ensureFirstSuperuser } from './seed/first-superuser';
import { type AppSettings, createServices, defaultRateLimits, type Services } from './services';

export interface RunningServer {
  /** The URL the server listens on. */
  url: string;
  issuer: string;
  services: Services;
  /** Stops accepting connections, lets requests in flight finish, then closes the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  rateLimits?: AppSettings['rateLimits'];
  /** Where start-up messages go (the generated admin password, for one). */
  log?: (message: string) => void;
}

function urlHost(address: AddressInfo): string {
  if (address.address === '0.0.0.0' || address.address === '::') return '127.0.0.1';
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

/** Opens the database, migrates it, seeds what is due, and listens. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? ((message: string) => console.log(message));
  const db = openDatabase(config.databasePath);
  await migrateToLatest(db);
  const { secret, created } = loadMasterSecret(
    config.keyEncryptionSecret,
    join(dirname(config.databasePath), 'master.key'),
  );
  if (created)
    log(
      `Generated the key-encryption secret in ${join(dirname(config.databasePath), 'master.key')} (mode 0600). Back it up with the database.`,
    );

  // Requests that arrive before the app is ready wait for it instead of being lost.
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const waiting: [IncomingMessage, ServerResponse][] = [];
  const server = createServer((req, res) => (handle ? handle(req, res) : waiting.push([req, res])));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${urlHost(address)}:${address.port}`;
  const issuer = config.issuer ?? url;

  const services = await createServices({
    db,
    clock,
    masterSecret: secret,
    settings: {
      issuer,
      audience: issuer,
      accessTokenTtl: config.accessTokenTtl,
      refreshTokenTtl: config.refreshTokenTtl,
      refreshTokenIdleTtl: config.refreshTokenIdleTtl,
      authorizationCodeTtl: config.authorizationCodeTtl,
      sessionTtl: config.sessionTtl,
      trustProxy: config.trustProxy,
      auditRetentionDays: config.auditRetentionDays,
      rateLimits: options.rateLimits ?? defaultRateLimits,
    },
  });
  const generated = await ensureFirstSuperuser(services, {
    login: config.adminLogin,
    email: config.adminEmail,
    password: config.adminPassword,
  });
  if (generated)
    log(
      `Created the super user "${config.adminLogin}" with the password: ${generated}\n(shown once; change it by setting ADMIN_PASSWORD on a new database)`,
    );
  if (config.demo) {
    const started = Date.now();
    const { seeded, visits } = await seedDemo(services, config.adminLogin, config.demoVisitsPerDay);
    if (seeded) {
      log('Seeded the demo: user "demo" (password "demo"), clients "analytics_app" and "matomo_demo_spa".');
      log(`Generated ${visits} demo visits on 3 sites in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    }
  }

  const app = createApp(services, { matomoApi: matomoApi(services, matomoMethods) });
  const callback = app.callback();
  handle = (req, res) => void callback(req, res);
  for (const [req, res] of waiting.splice(0)) handle(req, res);
  const housekeeping = startHousekeeping(services);

  let closing: Promise<void> | undefined;
  return {
    url,
    issuer,
    services,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await housekeeping.stop();
        await services.audit.close();
        await db.destroy();
      })();
      return closing;
    },
  };
}
