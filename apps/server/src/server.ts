import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, createRouter } from './app';
import { type Clock, systemClock } from './config/clock';
import type { Config } from './config/config';
import { adminPasswordPath, serverPidPath } from './config/paths';
import { type AppSettings, defaultRateLimits, type RateLimits } from './config/settings';
import { deriveKey } from './crypto/key-encryption';
import { type Db, migrateToLatest, openDatabaseAt } from './db/database';
import { databaseLocation } from './db/database-location';
import { holdStartupLock } from './db/startup-lock';
import { startHousekeeping } from './housekeeping';
import { basePathOf } from './http/base-path';
import type { Logger } from './logging/logger';
import { createTokenStateCache } from './oauth/token-state-cache';
import { serveMetrics } from './observability/cluster-metrics';
import { createHealth } from './observability/health';
import { createMetrics } from './observability/metrics';
import { createReadinessCheck } from './observability/readiness-check';
import type { AccessLevel } from './protocol/scopes';
import type { RateLimitStore } from './rate-limit/rate-limit-store';
import { seedDemo } from './seed/demo';
import { demoDashboardUrl, ensureDemoDashboardClient } from './seed/demo-dashboard-client';
import { ensureFirstSuperuser } from './seed/first-superuser';
import { createEndpoints, createServices } from './services';
import { openKeyEncryptionSecret } from './tokens/key-encryption-secret';
import type { ApiCaller } from './users/api-caller';
import * as users from './users/user.repository';

export interface RunningServer {
  /** The URL the server listens on. */
  url: string;
  issuer: string;
  /** The database, for tools that run beside the server (and tests). */
  db: Db;
  /** Every route: its path and HTTP methods. */
  routes: { path: string; methods: string[] }[];
  /** Every Matomo API method: the access level it needs, and whether it is POST-only. */
  apiMethods: { name: string; access: AccessLevel; scope: AccessLevel; postOnly: boolean }[];
  /** Re-reads the signing keys now (what SIGHUP does; `keys:rotate` may have changed them). */
  reloadKeys(): Promise<void>;
  /** Resolves once every audit entry recorded so far is committed. */
  flushAuditLog(): Promise<void>;
  /** Where this process serves Prometheus metrics; undefined when it does not (METRICS_PORT unset, or a cluster worker). */
  metricsUrl: string | undefined;
  /** Stops accepting connections, lets requests in flight finish, then closes the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  logger: Logger;
  clock?: Clock;
  rateLimits?: RateLimits;
  /**
   * Shows a one-time message to the operator outside the log: the generated super user password,
   * which must never be written to a log. Given only for an interactive terminal; without it the
   * password goes once to `<database dir>/admin-password.txt` (mode 0600), and the log says where.
   */
  announce?: (message: string) => void;
  /** Demo mode: the built demo dashboard, served at /demo/ (default: this repository's `apps/demo/dist`). */
  demoDashboardDir?: string;
  /** This process is a worker of `node:cluster` (WORKERS > 1): the primary keeps what workers share. */
  clusterWorker?: boolean;
}

/**
 * Where the rate limits count: in PostgreSQL when several instances share it, in the cluster's
 * primary for the workers of one machine on SQLite, else in this process.
 */
export function rateLimitStoreFor(config: Config, clusterWorker: boolean): RateLimitStore {
  if (config.databaseUrl !== undefined) return { kind: 'postgres', url: config.databaseUrl };
  return clusterWorker ? { kind: 'cluster' } : { kind: 'memory' };
}

/**
 * The demo dashboard's build output in this repository. Relative to this module: `src/server.ts`
 * under tsx, `dist/main.js` in the build, both one level below `apps/server`.
 */
export const defaultDemoDashboardDir = fileURLToPath(new URL('../../demo/dist', import.meta.url));

function urlHost(address: AddressInfo): string {
  if (address.address === '0.0.0.0' || address.address === '::') return '127.0.0.1';
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

function appSettings(config: Config, issuer: string, rateLimits: RateLimits): AppSettings {
  return {
    issuer,
    audience: issuer,
    accessTokenTtl: config.accessTokenTtl,
    accessTokenAlg: config.accessTokenAlg,
    keyRotationLead: config.keyRotationLead,
    refreshTokenTtl: config.refreshTokenTtl,
    refreshTokenIdleTtl: config.refreshTokenIdleTtl,
    authorizationCodeTtl: config.authorizationCodeTtl,
    sessionTtl: config.sessionTtl,
    auditRetentionDays: config.auditRetentionDays,
    rateLimits,
  };
}

/** Opens the database, migrates it, seeds what is due, and listens. */
export async function startServer(config: Config, options: StartOptions): Promise<RunningServer> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const metrics = createMetrics({ processMetrics: config.metricsPort !== undefined });
  // What the Bearer check found for a token, for at most a second: every write through `db` to
  // what it reads empties it (its plugin), so a change made here takes effect here at once.
  const tokenStates = createTokenStateCache<ApiCaller>({ clock });
  const db = openDatabaseAt(databaseLocation(config), { onQuery: metrics.observeQuery }).withPlugin(
    tokenStates.plugin,
  );
  // Instances started together on one PostgreSQL database prepare it one after the other.
  const startup = await holdStartupLock(db);
  await migrateToLatest(db);
  const passwordFile = adminPasswordPath(config.databasePath);
  let secret: Buffer;
  try {
    // Never a new secret for a database that has signing keys: stop, naming the key file, instead.
    // On PostgreSQL the generated key and password files still live in DATABASE_PATH's directory.
    if (config.databaseUrl !== undefined) mkdirSync(dirname(config.databasePath), { recursive: true });
    const opened = await openKeyEncryptionSecret(db, {
      provided: config.keyEncryptionSecret,
      databasePath: config.databasePath,
      ...(config.databaseUrl === undefined ? {} : { label: 'the PostgreSQL database of DATABASE_URL' }),
    });
    secret = opened.secret;
    if (opened.createdFile)
      logger.warn(
        { file: opened.createdFile },
        'Generated the key-encryption secret (mode 0600). Back it up with the database.',
      );
    if (
      options.announce === undefined &&
      config.adminPassword === undefined &&
      existsSync(passwordFile) &&
      (await users.count(db)) === 0
    ) {
      throw new Error(
        `${passwordFile} already exists, but the database has no user yet: move the file away (it is never overwritten), or set ADMIN_PASSWORD`,
      );
    }
  } catch (error) {
    await startup.release();
    await db.destroy();
    throw error;
  }

  // Requests that arrive before the app is ready wait for it instead of being lost; the health
  // checks answer at once, in every state.
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const waiting: [IncomingMessage, ServerResponse][] = [];
  const health = createHealth();
  const server = createServer((req, res) => {
    if (health.answer(req, res)) return;
    if (handle) handle(req, res);
    else waiting.push([req, res]);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${urlHost(address)}:${address.port}`;
  const issuer = config.issuer ?? url;

  const settings = appSettings(config, issuer, options.rateLimits ?? defaultRateLimits);
  const services = await createServices({
    db,
    clock,
    logger,
    masterSecret: secret,
    settings,
    metrics,
    rateLimitStore: rateLimitStoreFor(config, options.clusterWorker === true),
    tokenStates,
  });
  const generated = await ensureFirstSuperuser(
    { db, clock, audit: services.audit },
    { login: config.adminLogin, email: config.adminEmail, password: config.adminPassword },
  );
  if (generated) {
    logger.info({ login: config.adminLogin }, 'Created the first super user, with a generated password');
    if (options.announce) {
      options.announce(
        `Created the super user "${config.adminLogin}" with the password: ${generated}\n(shown once; change it with: npm run server -- users set-password ${config.adminLogin})`,
      );
    } else {
      // No terminal to show it on: a file only the server's user can read, never a log line.
      writeFileSync(passwordFile, `${generated}\n`, { mode: 0o600, flag: 'wx' });
      logger.warn(
        { login: config.adminLogin, file: passwordFile },
        `The generated password of "${config.adminLogin}" is in ${passwordFile} (mode 0600): read it, then delete the file`,
      );
    }
  }
  if (config.demo) {
    const started = Date.now();
    const { seeded, visits, upgraded } = await seedDemo(
      { db, clock },
      config.adminLogin,
      config.demoVisitsPerDay,
    );
    if (upgraded.length > 0)
      logger.info(
        { clients: upgraded },
        'Registered the demo clients for OpenID Connect (openid, profile, email)',
      );
    if (seeded) {
      logger.info('Seeded the demo: user "demo", clients "analytics_app" and "matomo_demo_spa"');
      const seconds = Number(((Date.now() - started) / 1000).toFixed(1));
      logger.info(
        { visits, sites: 3, seconds },
        `Generated ${visits} demo visits on 3 sites in ${seconds} s`,
      );
    }
    const dashboard = await ensureDemoDashboardClient(db, {
      issuer,
      ownerLogin: config.adminLogin,
      now: clock(),
    });
    if (dashboard !== 'unchanged')
      logger.info(
        { client: 'matomo_demo_dashboard', redirectUri: demoDashboardUrl(issuer) },
        `Demo dashboard client ${dashboard}`,
      );
  }

  const endpoints = createEndpoints(
    services,
    config.demo ? { demoDashboardDir: options.demoDashboardDir ?? defaultDemoDashboardDir } : {},
  );
  const router = createRouter(endpoints);
  const app = createApp(router, {
    logger,
    trustProxy: config.trustProxy,
    cookieKeys: [deriveKey(secret, 'cookies')],
    auditCommitted: services.audit.committed,
    metrics,
    basePath: basePathOf(issuer),
  });
  await startup.release();
  const callback = app.callback();
  handle = (req, res) => void callback(req, res);
  for (const [req, res] of waiting.splice(0)) handle(req, res);
  health.ready(createReadinessCheck({ db, keys: services.keys }));
  // `restore` (SQLite only) refuses to replace the file while a server runs on it.
  // A cluster's workers name their primary, which outlives each of them (a rolling restart stops
  // workers while others serve) and removes the file when it stops.
  const pidFile = config.databaseUrl === undefined ? serverPidPath(config.databasePath) : undefined;
  const owner = options.clusterWorker ? process.ppid : process.pid;
  if (pidFile) writeFileSync(pidFile, `${owner}\n`, { mode: 0o600 });
  const housekeeping = startHousekeeping({
    db,
    clock,
    logger,
    keys: services.keys,
    accessTokenTtl: settings.accessTokenTtl,
    auditRetentionDays: settings.auditRetentionDays,
  });
  const metricsServer =
    config.metricsPort === undefined
      ? undefined
      : await serveMetrics(metrics.registry, { host: config.metricsHost, port: config.metricsPort });
  if (metricsServer) logger.info({ url: metricsServer.url }, `Prometheus metrics at ${metricsServer.url}`);

  let closing: Promise<void> | undefined;
  return {
    url,
    issuer,
    db,
    routes: router.stack.map((layer) => ({ path: String(layer.path), methods: [...layer.methods] })),
    apiMethods: Object.entries(endpoints.matomoMethods).map(([name, method]) => ({
      name,
      access: method.access,
      scope: method.scope ?? method.access,
      postOnly: method.postOnly === true,
    })),
    reloadKeys: () => services.keys.reload(),
    flushAuditLog: () => services.audit.committed(),
    metricsUrl: metricsServer?.url,
    close() {
      // Not ready from now on: a load balancer stops sending requests while those in flight finish.
      health.stopping();
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await housekeeping.stop();
        await services.audit.close();
        await services.rateLimitStore.close();
        await db.destroy();
        await metricsServer?.close();
        if (pidFile && !options.clusterWorker) rmSync(pidFile, { force: true });
      })();
      return closing;
    },
  };
}
