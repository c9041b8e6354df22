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
