import { join } from 'node:path';
import type { Config } from '../src/config/config';
import { type RunningServer, type StartOptions, startServer } from '../src/server';
import { defaultRateLimits } from '../src/services';
import { makeTempDir } from './temp-dir';

export const adminPassword = 'admin-password-for-tests';

/** A clock tests can move forward. */
export function createTestClock(start = Date.now()) {
  let now = start;
  const clock = () => now;
  clock.advance = (ms: number) => {
    now += ms;
  };
  clock.set = (ms: number) => {
    now = ms;
  };
  return clock;
}
export type TestClock = ReturnType<typeof createTestClock>;

export interface TestServer extends RunningServer {
  dir: string;
  clock: TestClock;
  config: Config;
  stop(): Promise<void>;
}

/** A real server on 127.0.0.1 (a free port) over a new SQLite file, with the demo seeded. */
export async function startTestServer(
  overrides: Partial<Config> = {},
  options: Omit<StartOptions, 'clock'> & { clock?: TestClock } = {},
): Promise<TestServer> {
  const temp = makeTempDir();
  const clock = options.clock ?? createTestClock();
  const config: Config = {
    host: '127.0.0.1',
    port: 0,
    issuer: undefined,
    databasePath: join(temp.dir, 'test.sqlite'),
    keyEncryptionSecret: undefined,
    adminLogin: 'admin',
    adminPassword,
    adminEmail: 'admin@example.org',
    accessTokenTtl: 3600,
    refreshTokenTtl: 30 * 86400,
    refreshTokenIdleTtl: 14 * 86400,
    authorizationCodeTtl: 60,
    sessionTtl: 43200,
    keyRotationLead: 600,
    demo: true,
    demoVisitsPerDay: 0,
    auditRetentionDays: 180,
    trustProxy: false,
    production: false,
    ...overrides,
  };
  const server = await startServer(config, {
    clock,
    log: () => {},
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
    async stop() {
      await server.close();
      temp.remove();
    },
  };
}
