// Safe defaults for operators: secrets read from files, no new key-encryption secret for a
// database that has signing keys, and the generated first password never in a log.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAgent, makeTempDir } from '@matomo-oauth2/testing';
import { afterAll, describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { startServer } from '../../src/server';
import { KeyEncryptionSecretError } from '../../src/tokens/key-encryption-secret';
import { cliError, cliJson, newDatabase, operatorEnv } from './cli-harness';

const serverDir = join(import.meta.dirname, '..', '..');
const temp = makeTempDir('matomo-oauth2-safe-');
afterAll(() => temp.remove());

function silentStart(env: Record<string, string>, options: { announce?: (message: string) => void } = {}) {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void lines.push(line) },
  });
  const config = loadConfig([], { PORT: '0', ...env });
  return { lines, started: startServer(config, { logger, ...options }) };
}

async function signsIn(url: string, login: string, password: string): Promise<boolean> {
  const agent = createAgent(url);
  const page = await (await agent.get('/login')).text();
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(page)?.[1] ?? '';
  return (await agent.postForm('/login', { csrf_token: csrf, login, password })).status === 303;
}

describe('secrets from files (the convention of container secrets)', () => {
  test('KEY_ENCRYPTION_SECRET_FILE and ADMIN_PASSWORD_FILE, trailing newline trimmed', async () => {
    const keyFile = join(temp.dir, 'key-secret');
    const passwordFile = join(temp.dir, 'admin-secret');
    writeFileSync(keyFile, `${'k'.repeat(40)}\n`);
    writeFileSync(passwordFile, 'a long admin passphrase\r\n');
    const env = {
      ...operatorEnv(join(temp.dir, 'files', 'matomo.sqlite')),
      KEY_ENCRYPTION_SECRET_FILE: keyFile,
      ADMIN_PASSWORD_FILE: passwordFile,
    };
    expect(loadConfig([], env)).toMatchObject({
      keyEncryptionSecret: 'k'.repeat(40),
      adminPassword: 'a long admin passphrase',
    });
    const server = await silentStart(env).started;
    try {
      expect(await signsIn(server.url, 'admin', 'a long admin passphrase')).toBe(true);
    } finally {
      await server.close();
    }
    // No key file was generated: the secret came from the file, and the CLI reads it the same way.
    expect(existsSync(join(temp.dir, 'files', 'master.key'))).toBe(false);
    expect(await cliJson<unknown[]>(env, ['keys', 'list'])).toHaveLength(1);
    const { KEY_ENCRYPTION_SECRET_FILE: _, ...withoutSecret } = env;
    expect((await cliError(withoutSecret, ['keys', 'list'])).stderr).toMatch(/master\.key is missing/);
  });

  test('flags too; both forms of one setting at once is an error', () => {
    const file = join(temp.dir, 'flag-secret');
    writeFileSync(file, 'f'.repeat(32));
    expect(loadConfig(['--key-encryption-secret-file', file], {}).keyEncryptionSecret).toBe('f'.repeat(32));
    expect(() =>
      loadConfig([], { KEY_ENCRYPTION_SECRET: 'x'.repeat(32), KEY_ENCRYPTION_SECRET_FILE: file }),
    ).toThrow('Set KEY_ENCRYPTION_SECRET or KEY_ENCRYPTION_SECRET_FILE, not both');
    expect(() => loadConfig(['--admin-password', 'x', '--admin-password-file', file], {})).toThrow(
      'Set --admin-password or --admin-password-file, not both',
    );
    expect(() => loadConfig([], { ADMIN_PASSWORD_FILE: join(temp.dir, 'absent') })).toThrow(
      `ADMIN_PASSWORD_FILE: cannot read ${join(temp.dir, 'absent')} (ENOENT)`,
    );
    writeFileSync(join(temp.dir, 'empty'), '\n');
    expect(() => loadConfig([], { ADMIN_PASSWORD_FILE: join(temp.dir, 'empty') })).toThrow(ConfigError);
    // A secret from a file still meets the rules of the secret.
    writeFileSync(join(temp.dir, 'short'), 'short\n');
    expect(() => loadConfig([], { KEY_ENCRYPTION_SECRET_FILE: join(temp.dir, 'short') })).toThrow(
      /at least 32/,
    );
  });

  test('--help names the _FILE forms', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', '--help'], {
      cwd: serverDir,
      encoding: 'utf8',
    });
    expect(result.stdout).toContain('KEY_ENCRYPTION_SECRET_FILE');
    expect(result.stdout).toContain('ADMIN_PASSWORD_FILE');
  });
});

describe('the key-encryption secret of a database that has signing keys', () => {
  test('missing: the server stops, naming the key file, and generates none', async () => {
    const database = await newDatabase();
    try {
      const keyFile = join(database.dir, 'master.key');
      rmSync(keyFile);
      const { started } = silentStart(database.env);
      await expect(started).rejects.toThrow(KeyEncryptionSecretError);
      await expect(started).rejects.toThrow(`the key-encryption secret ${keyFile} is missing`);
      expect(existsSync(keyFile)).toBe(false);
      // As a process: one line that names the file, exit 1.
      const spawned = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: serverDir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', ...database.env },
      });
      expect(spawned.status).toBe(1);
      expect(spawned.stderr).toContain(`error: the key-encryption secret ${keyFile} is missing`);
      expect(existsSync(keyFile)).toBe(false);
      expect((await cliError(database.env, ['keys', 'rotate'])).stderr).toContain(keyFile);
    } finally {
      database.remove();
    }
  });

  test('wrong: the server stops with "does not decrypt", naming the key file and the database', async () => {
    const database = await newDatabase();
    try {
      const keyFile = join(database.dir, 'master.key');
      writeFileSync(keyFile, `${Buffer.alloc(32, 7).toString('base64url')}\n`);
      await expect(silentStart(database.env).started).rejects.toThrow(
        `the key-encryption secret in ${keyFile} does not decrypt the signing keys of ${database.databasePath}`,
      );
      expect((await cliError(database.env, ['keys', 'list'])).stderr).toBe(
        `error: the key-encryption secret in ${keyFile} does not decrypt the signing keys of ${database.databasePath}\n`,
      );
    } finally {
      database.remove();
    }
  });
});

describe('the generated first super user password', () => {
  test('without a terminal: written once to admin-password.txt (0600); the log says where, never what', async () => {
    const dir = join(temp.dir, 'first');
    const env = operatorEnv(join(dir, 'matomo.sqlite'));
    const { lines, started } = silentStart(env);
    const server = await started;
    const file = join(dir, 'admin-password.txt');
    let password: string;
    try {
      password = readFileSync(file, 'utf8').trim();
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(lines.join('')).toContain(file);
      expect(lines.join('')).not.toContain(password);
      expect(await signsIn(server.url, 'admin', password)).toBe(true);
    } finally {
      await server.close();
    }
    // A second start finds a user: the file is left as it is.
    await (await silentStart(env).started).close();
    expect(readFileSync(file, 'utf8').trim()).toBe(password);
    // A new database beside an old password file: refused, the file is never overwritten.
    rmSync(join(dir, 'matomo.sqlite'));
    rmSync(join(dir, 'master.key'));
    await expect(silentStart(env).started).rejects.toThrow(`${file} already exists`);
    expect(readFileSync(file, 'utf8').trim()).toBe(password);
  });

  test('on a terminal: shown there once, no file', async () => {
    const dir = join(temp.dir, 'terminal');
    const shown: string[] = [];
    const { lines, started } = silentStart(operatorEnv(join(dir, 'matomo.sqlite')), {
      announce: (message) => shown.push(message),
    });
    await (await started).close();
    expect(shown).toHaveLength(1);
    const password = /with the password: (\S+)/.exec(shown[0] ?? '')?.[1] ?? '';
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(lines.join('')).not.toContain(password);
    expect(existsSync(join(dir, 'admin-password.txt'))).toBe(false);
  });
});
