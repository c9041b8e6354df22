import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type LogLevel, logLevels } from '../logging/logger';
import { isSigningAlgorithm, type SigningAlgorithm, signingAlgorithms } from '../protocol/signing-algorithms';
import { type Option, options as optionTable } from './options';
import { parseTrustProxy, type TrustProxy, TrustProxyError } from './trust-proxy';

/** Everything the server is configured with. Built once at start-up, then frozen. */
export interface Config {
  readonly host: string;
  readonly port: number;
  /** The issuer identifier; undefined = the URL the server listens on. */
  readonly issuer: string | undefined;
  readonly databasePath: string;
  /** PostgreSQL's connection URL; undefined = the SQLite file `databasePath`. */
  readonly databaseUrl: string | undefined;
  /** PostgreSQL connections per process, at most. */
  readonly databasePoolSize: number;
  /** Server processes behind the one port (`node:cluster`); 1 = this process serves. */
  readonly workers: number;
  /** Encrypts signing keys at rest; undefined = a secret generated next to the database. */
  readonly keyEncryptionSecret: string | undefined;
  readonly adminLogin: string;
  readonly adminPassword: string | undefined;
  readonly adminEmail: string;
  /** Lifetimes, in seconds. */
  readonly accessTokenTtl: number;
  /** Signs new access and ID tokens (RS256, ES256 or EdDSA); keys made before keep theirs. */
  readonly accessTokenAlg: SigningAlgorithm;
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
  /** The reverse proxies whose `X-Forwarded-For`/`-Proto` are believed. */
  readonly trustProxy: TrustProxy;
  /** Prometheus metrics at /metrics on this port (and host); undefined = off. */
  readonly metricsPort: number | undefined;
  readonly metricsHost: string;
  /** The least severe log level written. */
  readonly logLevel: LogLevel;
  readonly production: boolean;
}

/** Every setting of `Config` has its option, and every option is a setting. */
const options: Record<keyof Omit<Config, 'production'>, Option> = optionTable;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The flags `loadConfig` reads, as `parseArgs` options: a command line that adds its own flags merges these in. */
export function configFlags(): Record<string, { type: 'string' | 'boolean' }> {
  return Object.fromEntries(
    Object.values(options).flatMap((option) => [
      [option.flag, { type: option.kind === 'boolean' ? 'boolean' : 'string' }] as const,
      ...(option.secret ? [[`${option.flag}-file`, { type: 'string' }] as const] : []),
    ]),
  );
}

/** Reads a secret from the file a `_FILE` setting names; one trailing newline (or several) is not part of it. */
function readSecretFile(path: string, setting: string, readFile: (path: string) => string): string {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as Error).message;
    throw new ConfigError(`${setting}: cannot read ${path} (${code})`);
  }
  const secret = text.replace(/(\r?\n)+$/, '');
  if (secret === '') throw new ConfigError(`${setting}: ${path} is empty`);
  return secret;
}

export interface LoadConfigOptions {
  /** Reads the files that `_FILE` settings name (tests replace it). */
  readFile?: (path: string) => string;
  /** What `WORKERS=auto` means (tests replace it). */
  cores?: number;
}

/**
 * Reads the configuration from flags and environment variables (a secret also from the file its
 * `_FILE` variable or `--…-file` flag names). Throws ConfigError on any invalid value: a server must
 * not start half-configured.
 */
export function loadConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  { readFile = (path) => readFileSync(path, 'utf8'), cores = availableParallelism() }: LoadConfigOptions = {},
): Config {
  let parsed: Record<string, string | boolean | undefined>;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: false, strict: true, options: configFlags() })
      .values as Record<string, string | boolean | undefined>;
  } catch (error) {
    // `--database-path x users list` must not start a server on a new database: the command goes first.
    if ((error as { code?: string }).code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const word = argv.find((arg) => !arg.startsWith('-') && !argv[argv.indexOf(arg) - 1]?.startsWith('--'));
      throw new ConfigError(
        `Unexpected argument${word ? ` "${word.slice(0, 40)}"` : ''}: a command goes first (matomo-oauth2-server users list --database-path …)`,
      );
    }
    throw error;
  }

  const present = (value: string | boolean | undefined): value is string | boolean =>
    value !== undefined && value !== '';
  const raw = (key: keyof typeof options): string | undefined => {
    const option: Option = options[key];
    const fromFlag = parsed[option.flag];
    const fromFlagFile = option.secret ? parsed[`${option.flag}-file`] : undefined;
    if (present(fromFlag) && present(fromFlagFile))
      throw new ConfigError(`Set --${option.flag} or --${option.flag}-file, not both`);
    if (present(fromFlagFile)) return readSecretFile(String(fromFlagFile), `--${option.flag}-file`, readFile);
    if (fromFlag !== undefined) return String(fromFlag);
    const fromEnv = env[option.env];
    const fromEnvFile = option.secret ? env[`${option.env}_FILE`] : undefined;
    if (present(fromEnv) && present(fromEnvFile))
      throw new ConfigError(`Set ${option.env} or ${option.env}_FILE, not both`);
    if (present(fromEnvFile)) return readSecretFile(fromEnvFile, `${option.env}_FILE`, readFile);
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

  const signingAlgorithm = (key: keyof typeof options): SigningAlgorithm => {
    const value = required(key);
    if (!isSigningAlgorithm(value))
      throw new ConfigError(
        `${options[key].env} must be one of ${signingAlgorithms.join(', ')}, got "${value}"`,
      );
    return value;
  };

  const logLevel = (key: keyof typeof options): LogLevel => {
    const value = required(key).toLowerCase();
    const level = logLevels.find((candidate) => candidate === value);
    if (level === undefined)
      throw new ConfigError(`${options[key].env} must be one of ${logLevels.join(', ')}, got "${value}"`);
    return level;
  };

  const portOf = (key: keyof typeof options, value: string) => {
    const number = Number(value);
    if (!/^\d{1,5}$/.test(value) || number > 65535)
      throw new ConfigError(`${options[key].env} must be 0 to 65535, got "${value}"`);
    return number;
  };
  const port = portOf('port', required('port'));
  const metricsPortText = text('metricsPort');
  const metricsPort = metricsPortText === undefined ? undefined : portOf('metricsPort', metricsPortText);
  if (metricsPort !== undefined && metricsPort !== 0 && metricsPort === port)
    throw new ConfigError('METRICS_PORT must differ from PORT: metrics are never served on the public port');
  const workers = (() => {
    const value = required('workers').toLowerCase();
    if (value === 'auto') return cores;
    if (!/^\d{1,3}$/.test(value) || Number(value) < 1 || Number(value) > 256)
      throw new ConfigError(`WORKERS must be auto or a whole number from 1 to 256, got "${value}"`);
    return Number(value);
  })();
  const databaseUrl = text('databaseUrl');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new ConfigError('DATABASE_URL must be a postgres:// URL (SQLite is DATABASE_PATH)');
  const trustProxy = (() => {
    try {
      return parseTrustProxy(required('trustProxy'));
    } catch (error) {
      if (error instanceof TrustProxyError) throw new ConfigError(error.message);
      throw error;
    }
  })();
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
    databaseUrl,
    databasePoolSize: count('databasePoolSize'),
    workers,
    keyEncryptionSecret: text('keyEncryptionSecret'),
    adminLogin: required('adminLogin'),
    adminPassword: text('adminPassword'),
    adminEmail: required('adminEmail'),
    accessTokenTtl: seconds('accessTokenTtl', 86400),
    accessTokenAlg: signingAlgorithm('accessTokenAlg'),
    refreshTokenTtl: seconds('refreshTokenTtl'),
    refreshTokenIdleTtl: seconds('refreshTokenIdleTtl'),
    authorizationCodeTtl: seconds('authorizationCodeTtl', 600),
    sessionTtl: seconds('sessionTtl', 30 * 86400),
    keyRotationLead: Number(required('keyRotationLead')),
    demo: bool('demo'),
    demoVisitsPerDay: count('demoVisitsPerDay'),
    auditRetentionDays: count('auditRetentionDays'),
    trustProxy,
    metricsPort,
    metricsHost: required('metricsHost'),
    logLevel: logLevel('logLevel'),
    production,
  };
  if (!/^\d+$/.test(String(raw('keyRotationLead'))))
    throw new ConfigError('KEY_ROTATION_LEAD must be a whole number of seconds');
  if (config.databasePoolSize < (config.databaseUrl === undefined ? 1 : 2))
    throw new ConfigError(
      'DATABASE_POOL_SIZE must be at least 2 with PostgreSQL (start-up holds one connection for its lock)',
    );
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
