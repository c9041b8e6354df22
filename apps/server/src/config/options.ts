import { logLevels } from '../logging/logger';
import { signingAlgorithms } from '../protocol/signing-algorithms';
import { ADMIN_PASSWORD_FILE, MASTER_KEY_FILE } from './paths';

/** One setting: its environment variable, its flag, how it is parsed, its default. */
export interface Option {
  env: string;
  flag: string;
  description: string;
  kind: 'string' | 'seconds' | 'count' | 'port' | 'boolean' | 'log-level' | 'workers' | 'trust-proxy';
  default?: string;
  /** How the default reads when it is not a plain value (it is computed, or generated). */
  defaultText?: string;
  /**
   * A secret: it may also be read from a file named by `<env>_FILE` or `--<flag>-file` (the
   * convention of container secrets), so that it need not sit in the environment or on a command line.
   */
  secret?: boolean;
}

/** Every setting, in the order `--help` and the README list them. */
const table = {
  host: {
    env: 'HOST',
    flag: 'host',
    kind: 'string',
    default: '127.0.0.1',
    description: 'address to listen on',
  },
  port: {
    env: 'PORT',
    flag: 'port',
    kind: 'port',
    default: '8080',
    description: 'port to listen on (0: any free port)',
  },
  issuer: {
    env: 'ISSUER',
    flag: 'issuer',
    kind: 'string',
    defaultText: 'the listen URL',
    description:
      'issuer URL; must be https when NODE_ENV=production, except on loopback, and is required there when HOST is not loopback',
  },
  databasePath: {
    env: 'DATABASE_PATH',
    flag: 'database-path',
    kind: 'string',
    default: './data/matomo-oauth2.sqlite',
    description: 'SQLite file, created and migrated (Kysely migrations) on start',
  },
  databaseUrl: {
    env: 'DATABASE_URL',
    flag: 'database-url',
    kind: 'string',
    defaultText: 'none: the SQLite file of DATABASE_PATH',
    secret: true,
    description:
      'PostgreSQL instead of SQLite: postgres://user:password@host:5432/database (created and migrated on start)',
  },
  databasePoolSize: {
    env: 'DATABASE_POOL_SIZE',
    flag: 'database-pool-size',
    kind: 'count',
    default: '10',
    description: 'PostgreSQL connections per process, at most',
  },
  workers: {
    env: 'WORKERS',
    flag: 'workers',
    kind: 'workers',
    default: '1',
    description: 'server processes behind the one port (node:cluster); auto: one per core',
  },
  keyEncryptionSecret: {
    env: 'KEY_ENCRYPTION_SECRET',
    flag: 'key-encryption-secret',
    kind: 'string',
    defaultText: `generated into <database dir>/${MASTER_KEY_FILE} (mode 0600)`,
    secret: true,
    description: 'secret (32 characters or more) that encrypts the signing keys at rest (AES-256-GCM)',
  },
  adminLogin: {
    env: 'ADMIN_LOGIN',
    flag: 'admin-login',
    kind: 'string',
    default: 'admin',
    description: 'login of the first super user',
  },
  adminPassword: {
    env: 'ADMIN_PASSWORD',
    flag: 'admin-password',
    kind: 'string',
    defaultText: `generated: shown on an interactive terminal, otherwise written once to <database dir>/${ADMIN_PASSWORD_FILE} (mode 0600)`,
    secret: true,
    description: 'password of the first super user, created on an empty database',
  },
  adminEmail: {
    env: 'ADMIN_EMAIL',
    flag: 'admin-email',
    kind: 'string',
    default: 'admin@localhost',
    description: 'e-mail of the first super user',
  },
  accessTokenTtl: {
    env: 'ACCESS_TOKEN_TTL',
    flag: 'access-token-ttl',
    kind: 'seconds',
    default: '3600',
    description: 'access token lifetime, seconds',
  },
  accessTokenAlg: {
    env: 'ACCESS_TOKEN_ALG',
    flag: 'access-token-alg',
    kind: 'string',
    default: 'RS256',
    description: `signing algorithm of access and ID tokens: ${signingAlgorithms.join(', ')}; a change moves to a new key as a rotation does (KEY_ROTATION_LEAD)`,
  },
  refreshTokenTtl: {
    env: 'REFRESH_TOKEN_TTL',
    flag: 'refresh-token-ttl',
    kind: 'seconds',
    default: '2592000',
    description: 'absolute lifetime of a login (its refresh tokens), seconds',
  },
  refreshTokenIdleTtl: {
    env: 'REFRESH_TOKEN_IDLE_TTL',
    flag: 'refresh-token-idle-ttl',
    kind: 'seconds',
    default: '1209600',
    description: 'a refresh token unused this long expires, seconds',
  },
  authorizationCodeTtl: {
    env: 'AUTHORIZATION_CODE_TTL',
    flag: 'authorization-code-ttl',
    kind: 'seconds',
    default: '60',
    description: 'authorization code lifetime, seconds (at most 600)',
  },
  sessionTtl: {
    env: 'SESSION_TTL',
    flag: 'session-ttl',
    kind: 'seconds',
    default: '43200',
    description: 'sign-in session lifetime, seconds',
  },
  keyRotationLead: {
    env: 'KEY_ROTATION_LEAD',
    flag: 'key-rotation-lead',
    kind: 'seconds',
    default: '600',
    description: 'a rotated signing key is published this long before it signs, seconds',
  },
  demo: {
    env: 'DEMO',
    flag: 'demo',
    kind: 'boolean',
    default: 'false',
    description: 'seed demo users, sites, clients and analytics data',
  },
  demoVisitsPerDay: {
    env: 'DEMO_VISITS_PER_DAY',
    flag: 'demo-visits-per-day',
    kind: 'count',
    default: '300',
    description:
      'demo analytics size: mean visits a day on the first site, 180 days back (0: none; about 1M visits at 3900)',
  },
  auditRetentionDays: {
    env: 'AUDIT_RETENTION_DAYS',
    flag: 'audit-retention-days',
    kind: 'count',
    default: '180',
    description: 'audit log entries older than this are deleted (0: keep everything)',
  },
  trustProxy: {
    env: 'TRUST_PROXY',
    flag: 'trust-proxy',
    kind: 'trust-proxy',
    default: 'false',
    description:
      'the reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: addresses or CIDR ranges, comma-separated (loopback, linklocal, uniquelocal name the usual ranges), or a number of hops; false: none',
  },
  metricsPort: {
    env: 'METRICS_PORT',
    flag: 'metrics-port',
    kind: 'port',
    defaultText: 'off',
    description: 'serve Prometheus metrics at /metrics on this port, never on the public one',
  },
  metricsHost: {
    env: 'METRICS_HOST',
    flag: 'metrics-host',
    kind: 'string',
    default: '127.0.0.1',
    description: 'address the metrics port listens on',
  },
  logLevel: {
    env: 'LOG_LEVEL',
    flag: 'log-level',
    kind: 'log-level',
    default: 'info',
    description: `least severe log level written: ${logLevels.join(', ')}`,
  },
} satisfies Record<string, Option>;

export type OptionName = keyof typeof table;
export const options: Readonly<Record<OptionName, Option>> = table;
