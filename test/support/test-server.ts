import { join } from 'node:path';
import {
  createLogger,
  defaultRateLimits,
  loadConfig,
  type RateLimits,
  type RunningServer,
  startServer,
} from '@matomo-oauth2/server';
import { createTestClock, makeTempDir, type TestClock } from '@matomo-oauth2/testing';

export const adminPassword = 'admin-password-for-cross-package-tests';

export interface TestServer extends RunningServer {
  clock: TestClock;
  stop(): Promise<void>;
}

/**
 * The reference server as an operator starts it (`loadConfig`, `startServer`), on 127.0.0.1 (a
 * free port) over a new SQLite file with the demo seeded, and a clock the tests can move.
 */
export async function startTestServer(
  {
    demoVisitsPerDay = 0,
    accessTokenTtl,
    accessTokenAlg,
  }: {
    demoVisitsPerDay?: number;
    /** Access token lifetime in seconds (ACCESS_TOKEN_TTL; the server's default is 3600). */
    accessTokenTtl?: number;
    /** ACCESS_TOKEN_ALG (the server's default is RS256). */
    accessTokenAlg?: 'RS256' | 'ES256' | 'EdDSA';
  } = {},
  { rateLimits }: { rateLimits?: RateLimits } = {},
): Promise<TestServer> {
  const temp = makeTempDir();
  const clock = createTestClock();
  const config = loadConfig([], {
    PORT: '0',
    DATABASE_PATH: join(temp.dir, 'test.sqlite'),
    ADMIN_PASSWORD: adminPassword,
    DEMO: 'true',
    DEMO_VISITS_PER_DAY: String(demoVisitsPerDay),
    ...(accessTokenTtl === undefined ? {} : { ACCESS_TOKEN_TTL: String(accessTokenTtl) }),
    ...(accessTokenAlg === undefined ? {} : { ACCESS_TOKEN_ALG: accessTokenAlg }),
  });
  const server = await startServer(config, {
    clock,
    // The tests read what they need from the API and the database, not from the log.
    logger: createLogger({ level: 'warn', destination: { write: () => {} } }),
    rateLimits: rateLimits ?? {
      ...defaultRateLimits,
      loginPerIp: { limit: 1000, windowMs: 60_000 },
      clientAuthenticationPerIp: { limit: 1000, windowMs: 60_000 },
    },
  });
  return {
    ...server,
    clock,
    async stop() {
      await server.close();
      temp.remove();
    },
  };
}
