import { describe, expect, test } from 'vitest';
import { ConfigError, checkIssuer, isLoopback, loadConfig } from './config';
import { helpText } from './help';
import { options } from './options';

describe('loadConfig', () => {
  test('defaults', () => {
    const config = loadConfig([], {});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      issuer: undefined,
      adminLogin: 'admin',
      adminPassword: undefined,
      accessTokenTtl: 3600,
      refreshTokenTtl: 2592000,
      authorizationCodeTtl: 60,
      demo: false,
      production: false,
    });
    expect(config.databasePath).toMatch(/data\/matomo-oauth2\.sqlite$/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  test('environment variables, and flags over them', () => {
    const env = { PORT: '9000', ISSUER: 'https://a.example/', DEMO: 'true', ACCESS_TOKEN_TTL: '600' };
    expect(loadConfig([], env)).toMatchObject({
      port: 9000,
      issuer: 'https://a.example',
      demo: true,
      accessTokenTtl: 600,
    });
    expect(loadConfig(['--port', '9001', '--access-token-ttl', '60'], env)).toMatchObject({
      port: 9001,
      accessTokenTtl: 60,
    });
  });

  test.each([
    [['--port', 'x'], {}],
    [[], { PORT: '70000' }],
    [[], { ACCESS_TOKEN_TTL: '0' }],
    [[], { ACCESS_TOKEN_TTL: '1.5' }],
    [[], { AUTHORIZATION_CODE_TTL: '601' }],
    [[], { DEMO: 'maybe' }],
    [[], { ISSUER: 'not a url' }],
    [[], { ISSUER: 'https://a.example/?x=1' }],
    [[], { KEY_ENCRYPTION_SECRET: 'short' }],
    [[], { LOG_LEVEL: 'loud' }],
  ])('refuses %j %j', (argv, env) => {
    expect(() => loadConfig(argv, env)).toThrow(ConfigError);
  });

  test('LOG_LEVEL: any pino level or silent, in any case; info by default', () => {
    expect(loadConfig([], {}).logLevel).toBe('info');
    expect(loadConfig([], { LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
    expect(loadConfig(['--log-level', 'silent'], { LOG_LEVEL: 'warn' }).logLevel).toBe('silent');
  });

  test('ACCESS_TOKEN_ALG: RS256 by default, ES256 or EdDSA; anything else stops the start, naming them', () => {
    expect(loadConfig([], {}).accessTokenAlg).toBe('RS256');
    expect(loadConfig([], { ACCESS_TOKEN_ALG: 'ES256' }).accessTokenAlg).toBe('ES256');
    expect(loadConfig(['--access-token-alg', 'EdDSA'], { ACCESS_TOKEN_ALG: 'ES256' }).accessTokenAlg).toBe(
      'EdDSA',
    );
    for (const value of ['HS256', 'none', 'es256', 'RS512'])
      expect(() => loadConfig([], { ACCESS_TOKEN_ALG: value })).toThrow(
        `ACCESS_TOKEN_ALG must be one of RS256, ES256, EdDSA, got "${value}"`,
      );
  });

  test('every setting has its option, and every option is a setting', () => {
    const settings = Object.keys(loadConfig([], {})).filter((key) => key !== 'production');
    expect(settings.sort()).toEqual(Object.keys(options).sort());
  });

  test('an unknown flag is an error', () => {
    expect(() => loadConfig(['--nope'], {})).toThrow();
  });

  test('every option is in --help with its environment variable', () => {
    const help = helpText();
    for (const name of [
      'PORT',
      'HOST',
      'ISSUER',
      'DATABASE_PATH',
      'ADMIN_LOGIN',
      'ADMIN_PASSWORD',
      'ACCESS_TOKEN_TTL',
      'REFRESH_TOKEN_TTL',
      'AUTHORIZATION_CODE_TTL',
      'DEMO',
      'KEY_ENCRYPTION_SECRET',
    ]) {
      expect(help).toContain(name);
    }
    expect(help).toContain('keys:rotate');
  });
});

describe('TRUST_PROXY', () => {
  test('off by default; addresses, CIDR ranges and names, or a hop count, from the environment or a flag', () => {
    expect(loadConfig([], {}).trustProxy).toEqual({ kind: 'none' });
    expect(loadConfig([], { TRUST_PROXY: '2' }).trustProxy).toEqual({ kind: 'hops', hops: 2 });
    const { trustProxy } = loadConfig(['--trust-proxy', '10.0.0.0/8, loopback'], { TRUST_PROXY: '1' });
    expect(trustProxy).toMatchObject({ kind: 'addresses', text: '10.0.0.0/8, loopback' });
  });

  test('true is refused with what to write instead', () => {
    expect(() => loadConfig([], { TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig([], { TRUST_PROXY: 'true' })).toThrow(
      /TRUST_PROXY=true would believe X-Forwarded-For from whoever connects: name the proxies/,
    );
  });

  test.each(['10.0.0.0/33', '10.0.0.0/8/1', 'proxy.example.org', '11'])(
    '%j is a ConfigError naming the value',
    (value) => {
      expect(() => loadConfig([], { TRUST_PROXY: value })).toThrow(ConfigError);
      expect(() => loadConfig([], { TRUST_PROXY: value })).toThrow(value);
    },
  );
});

describe('scale-out settings', () => {
  test('SQLite, one worker and no metrics port by default', () => {
    const config = loadConfig([], {});
    expect(config).toMatchObject({ databaseUrl: undefined, databasePoolSize: 10, workers: 1 });
    expect(config).toMatchObject({ metricsPort: undefined, metricsHost: '127.0.0.1' });
  });

  test('DATABASE_URL: a postgres:// URL, also from a file; anything else is refused', () => {
    const url = 'postgres://matomo:pw@db.example.org:5432/matomo';
    expect(loadConfig([], { DATABASE_URL: url }).databaseUrl).toBe(url);
    expect(loadConfig([], { DATABASE_URL: 'postgresql://h/d' }).databaseUrl).toBe('postgresql://h/d');
    const readFile = () => `${url}\n`;
    expect(loadConfig([], { DATABASE_URL_FILE: '/run/secrets/db' }, { readFile }).databaseUrl).toBe(url);
    expect(() => loadConfig([], { DATABASE_URL: 'mysql://h/d' })).toThrow(
      'DATABASE_URL must be a postgres:// URL (SQLite is DATABASE_PATH)',
    );
  });

  test('DATABASE_POOL_SIZE: at least 2 on PostgreSQL (start-up holds one for its lock), at least 1 otherwise', () => {
    const url = 'postgres://h/d';
    expect(loadConfig([], { DATABASE_URL: url, DATABASE_POOL_SIZE: '2' }).databasePoolSize).toBe(2);
    expect(() => loadConfig([], { DATABASE_URL: url, DATABASE_POOL_SIZE: '1' })).toThrow(ConfigError);
    expect(loadConfig([], { DATABASE_POOL_SIZE: '1' }).databasePoolSize).toBe(1);
    expect(() => loadConfig([], { DATABASE_POOL_SIZE: '0' })).toThrow(ConfigError);
    expect(() => loadConfig([], { DATABASE_POOL_SIZE: 'many' })).toThrow(ConfigError);
  });

  test('WORKERS: a number from 1 to 256, or auto for the number of cores', () => {
    expect(loadConfig([], { WORKERS: '4' }).workers).toBe(4);
    expect(loadConfig(['--workers', 'AUTO'], {}, { cores: 6 }).workers).toBe(6);
    for (const bad of ['0', '257', '-1', 'two', '1.5'])
      expect(() => loadConfig([], { WORKERS: bad })).toThrow(
        `WORKERS must be auto or a whole number from 1 to 256, got "${bad}"`,
      );
  });

  test('METRICS_PORT: a port other than the public one; METRICS_HOST where it listens', () => {
    expect(loadConfig([], { METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' })).toMatchObject({
      metricsPort: 9464,
      metricsHost: '0.0.0.0',
    });
    expect(() => loadConfig([], { PORT: '9464', METRICS_PORT: '9464' })).toThrow(
      'METRICS_PORT must differ from PORT: metrics are never served on the public port',
    );
    expect(() => loadConfig([], { METRICS_PORT: '70000' })).toThrow(
      'METRICS_PORT must be 0 to 65535, got "70000"',
    );
  });
});

describe('production', () => {
  test('needs ISSUER when the server listens beyond loopback', () => {
    for (const HOST of ['0.0.0.0', '::', '203.0.113.7', 'matomo.example.org']) {
      expect(() => loadConfig([], { NODE_ENV: 'production', HOST })).toThrow(/ISSUER is required/);
    }
    expect(() => loadConfig([], { NODE_ENV: 'production', HOST: '127.0.0.1' })).not.toThrow();
    expect(() =>
      loadConfig([], { NODE_ENV: 'production', HOST: '0.0.0.0', ISSUER: 'https://matomo.example.org' }),
    ).not.toThrow();
  });
});

describe('the issuer', () => {
  test('must be https in production, except on loopback', () => {
    expect(() => checkIssuer('http://matomo.example.org', true)).toThrow(/https/);
    expect(() => checkIssuer('http://matomo.example.org', false)).not.toThrow();
    expect(() => checkIssuer('http://127.0.0.1:8080', true)).not.toThrow();
    expect(() => checkIssuer('http://[::1]:8080', true)).not.toThrow();
    expect(() => checkIssuer('https://matomo.example.org', true)).not.toThrow();
    expect(() => checkIssuer('ftp://matomo.example.org', false)).toThrow();
  });

  test('loopback', () => {
    expect(['127.0.0.1', '127.1.2.3', '[::1]', 'localhost'].every(isLoopback)).toBe(true);
    expect(['128.0.0.1', 'example.org', '10.0.0.1'].some(isLoopback)).toBe(false);
  });
});
