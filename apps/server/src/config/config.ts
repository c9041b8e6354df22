import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type LogLevel, logLevels } from '../logging/logger';
import { MASTER_KEY_FILE } from './paths';

/** Everything the server is configured with. Built once at start-up, then frozen. */
export interface Config {
  readonly host: string;
  readonly port: number;
  /** The issuer identifier; undefined = the URL the server listens on. */
  readonly issuer: string | undefined;
  readonly databasePath: string;
  /** Encrypts signing keys at rest; undefined = a secret generated next to the database. */
  readonly keyEncryptionSecret: string | undefined;
  readonly adminLogin: string;
  readonly adminPassword: string | undefined;
  readonly adminEmail: string;
  /** Lifetimes, in seconds. */
  readonly accessTokenTtl: number;
  readonly refreshTokenTtl: number;
  readonly refreshTokenIdleTtl: number;
  readonly authorizationCodeTtl: number;
  readonly sessionTtl: number;
  /** How long a new signing key is published before it signs, in seconds. */
  readonly keyRotationLead: number;
  readonly demo: boolean;
  /** Demo analytics size: mean visits a day on the first demo site (0: no visit data). */
  readonly demoVisitsPerDay: number;
  /** Days audit log entries are kept (0: forever). */
  readonly auditRetentionDays: number;
  /** Trust `X-Forwarded-For`/`-Proto` from one reverse proxy in front of the server. */
  readonly trustProxy: boolean;
  /** The least severe log level written. */
  readonly logLevel: LogLevel;
  readonly production: boolean;
}

interface Option {
  env: string;
  flag: string;
  description: string;
  kind: 'string' | 'seconds' | 'count' | 'port' | 'boolean' | 'log-level';
  default?: string;
}

const options: Record<keyof Omit<Config, 'production'>, Option> = {
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
    description: 'issuer URL (default: the listen URL); must be https in production, except on loopback',
  },
  databasePath: {
    env: 'DATABASE_PATH',
    flag: 'database-path',
    kind: 'string',
    default: './data/matomo-oauth2.sqlite',
    description: 'SQLite file, created and migrated on first start',
  },
  keyEncryptionSecret: {
    env: 'KEY_ENCRYPTION_SECRET',
    flag: 'key-encryption-secret',
    kind: 'string',
    description: `secret that encrypts signing keys at rest (default: generated into <database dir>/${MASTER_KEY_FILE}, mode 0600)`,
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
    description: 'password of the first super user (default: generated and printed once)',
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
    description: 'demo analytics size: mean visits a day on the first site, 180 days back (0: none)',
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
    kind: 'boolean',
    default: 'false',
    description: 'trust X-Forwarded-* headers from one reverse proxy in front',
  },
  logLevel: {
    env: 'LOG_LEVEL',
    flag: 'log-level',
    kind: 'log-level',
    default: 'info',
    description: `least severe log level written: ${logLevels.join(', ')}`,
  },
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The `--help` text. */
export function helpText(): string {
  const lines = Object.values(options).map((option) => {
    const flag = option.kind === 'boolean' ? `--${option.flag}` : `--${option.flag} <value>`;
    const fallback = option.default === undefined ? '' : ` [${option.default}]`;
    return `  ${flag.padEnd(32)} ${option.env.padEnd(24)} ${option.description}${fallback}`;
  });
  return [
    'Usage: matomo-oauth2-server [command] [options]',
    '',
    'Commands:',
    '  serve (default)     start the server',
    '  keys:rotate         add a signing key; it is published at once and signs after --key-rotation-lead',
    '  keys:list           list the signing keys',
    '',
    'Options (each also read from the environment variable shown; flags win):',
    ...lines,
    `  ${'--help'.padEnd(32)} ${''.padEnd(24)} show this help`,
  ].join('\n');
}

/**
 * Reads the configuration from flags and environment variables. Throws ConfigError on any
 * invalid value: a server must not start half-configured.
 */
export function loadConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Config {
  const parsed = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: Object.fromEntries(
      Object.values(options).map((option) => [
        option.flag,
        { type: option.kind === 'boolean' ? 'boolean' : 'string' },
      ]),
    ),
  }).values as Record<string, string | boolean | undefined>;

  const raw = (key: keyof typeof options): string | undefined => {
    const option = options[key];
    const fromFlag = parsed[option.flag];
    if (fromFlag !== undefined) return String(fromFlag);
    const fromEnv = env[option.env];
    return fromEnv === undefined || fromEnv === '' ? option.default : fromEnv;
  };
  const text = (key: keyof typeof options) => raw(key);
  const required = (key: keyof typeof options) => {
    const value = raw(key);
    if (value === undefined) throw new ConfigError(`${options[key].env} is required`);
    return value;
  };
  const seconds = (key: keyof typeof options, max = 10 * 365 * 86400) => {
    const value = required(key);
    const number = Number(value);
    if (!/^\d+$/.test(value) || number < 1 || number > max) {
      throw new ConfigError(
        `${options[key].env} must be a whole number of seconds from 1 to ${max}, got "${value}"`,
      );
    }
    return number;
  };
  const count = (key: keyof typeof options) => {
    const value = required(key);
    if (!/^\d{1,7}$/.test(value))
      throw new ConfigError(`${options[key].env} must be a whole number, got "${value}"`);
    return Number(value);
  };
  const bool = (key: keyof typeof options) => {
    const value = required(key).toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    throw new ConfigError(`${options[key].env} must be true or false, got "${value}"`);
  };

  const logLevel = (key: keyof typeof options): LogLevel => {
    const value = required(key).toLowerCase();
    const level = logLevels.find((candidate) => candidate === value);
    if (level === undefined)
      throw new ConfigError(`${options[key].env} must be one of ${logLevels.join(', ')}, got "${value}"`);
    return level;
  };

  const port = Number(required('port'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be 0 to 65535`);
  const production = env.NODE_ENV === 'production';
  const issuer = text('issuer');
  if (issuer !== undefined) checkIssuer(issuer, production);
  else if (production && !isLoopback(required('host'))) {
    // Reachable from elsewhere: the issuer must be the public https URL, not a guess from the listen address.
    throw new ConfigError('ISSUER is required in production when the server listens beyond loopback');
  }

  const config: Config = {
    host: required('host'),
    port,
    issuer: issuer?.replace(/\/+$/, ''),
    databasePath: resolve(required('databasePath')),
    keyEncryptionSecret: text('keyEncryptionSecret'),
    adminLogin: required('adminLogin'),
    adminPassword: text('adminPassword'),
    adminEmail: required('adminEmail'),
    accessTokenTtl: seconds('accessTokenTtl', 86400),
    refreshTokenTtl: seconds('refreshTokenTtl'),
    refreshTokenIdleTtl: seconds('refreshTokenIdleTtl'),
    authorizationCodeTtl: seconds('authorizationCodeTtl', 600),
    sessionTtl: seconds('sessionTtl', 30 * 86400),
    keyRotationLead: Number(required('keyRotationLead')),
    demo: bool('demo'),
    demoVisitsPerDay: count('demoVisitsPerDay'),
    auditRetentionDays: count('auditRetentionDays'),
    trustProxy: bool('trustProxy'),
    logLevel: logLevel('logLevel'),
    production,
  };
  if (!/^\d+$/.test(String(raw('keyRotationLead'))))
    throw new ConfigError('KEY_ROTATION_LEAD must be a whole number of seconds');
  if (config.keyEncryptionSecret !== undefined && config.keyEncryptionSecret.length < 32) {
    throw new ConfigError('KEY_ENCRYPTION_SECRET must be at least 32 characters');
  }
  return Object.freeze(config);
}

/** RFC 8414 §2: https, no query or fragment; plain http only on loopback outside production. */
export function checkIssuer(issuer: string, production: boolean): void {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ConfigError(`ISSUER must be an absolute URL, got "${issuer}"`);
  }
  if (url.search || url.hash) throw new ConfigError('ISSUER must not have a query or fragment');
  if (url.protocol === 'https:') return;
  if (url.protocol !== 'http:') throw new ConfigError('ISSUER must be an https URL');
  if (production && !isLoopback(url.hostname)) {
    throw new ConfigError('ISSUER must be https in production (plain http is allowed only on loopback)');
  }
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}
