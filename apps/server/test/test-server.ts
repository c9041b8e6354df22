import { join } from 'node:path';
import { createTestClock, makeTempDir, type TestClock } from '@matomo-oauth2/testing';
import type { Config } from '../src/config/config';
import { defaultRateLimits, type RateLimits } from '../src/config/settings';
import { createLogger } from '../src/logging/logger';
import { type RunningServer, startServer } from '../src/server';
import { testDatabaseLocation } from './support/database-under-test';

export const adminPassword = 'admin-password-for-tests';

export interface TestServer extends RunningServer {
  dir: string;
  clock: TestClock;
  config: Config;
  /** Every line the server logged so far (JSON), in order. */
  logLines(): string[];
  stop(): Promise<void>;
}

export interface TestServerOptions {
  clock?: TestClock;
  rateLimits?: RateLimits;
}

/** A real server on 127.0.0.1 (a free port) over a new SQLite file, with the demo seeded. */
export async function startTestServer(
  overrides: Partial<Config> = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  const temp = makeTempDir();
  const database = await testDatabaseLocation(join(temp.dir, 'test.sqlite'));
  const clock = options.clock ?? createTestClock();
  const config: Config = {
    host: '127.0.0.1',
    port: 0,
    issuer: undefined,
    databasePath: join(temp.dir, 'test.sqlite'),
    databaseUrl: database.kind === 'postgres' ? database.url : undefined,
    databasePoolSize: 10,
    workers: 1,
    keyEncryptionSecret: undefined,
    adminLogin: 'admin',
    adminPassword,
    adminEmail: 'admin@example.org',
    accessTokenTtl: 3600,
    accessTokenAlg: 'RS256',
    refreshTokenTtl: 30 * 86400,
    refreshTokenIdleTtl: 14 * 86400,
    authorizationCodeTtl: 60,
    sessionTtl: 43200,
    keyRotationLead: 600,
    demo: true,
    demoVisitsPerDay: 0,
    auditRetentionDays: 180,
    trustProxy: { kind: 'none' },
    metricsPort: undefined,
    metricsHost: '127.0.0.1',
    logLevel: 'info',
    production: false,
    ...overrides,
  };
  const lines: string[] = [];
  const server = await startServer(config, {
    clock,
    logger: createLogger({
      level: config.logLevel,
      destination: { write: (line: string) => void lines.push(line) },
    }),
    rateLimits: options.rateLimits ?? {
      // Generous: the tests of rate limiting set their own.
      ...defaultRateLimits,
      loginPerIp: { limit: 1000, windowMs: 60_000 },
      clientAuthenticationPerIp: { limit: 1000, windowMs: 60_000 },
    },
  });
  return {
    ...server,
    dir: temp.dir,
    clock,
    config,
    logLines: () => [...lines],
    async stop() {
      await server.close();
      temp.remove();
    },
  };
}
