// Runs the operator's commands in-process through `runCli`, with captured output, against real
// SQLite files that the server itself created (as `serve` does on first start).

import { join } from 'node:path';
import { Readable } from 'node:stream';
import { makeTempDir } from '@matomo-oauth2/testing';
import { expect } from 'vitest';
import { runCli } from '../../src/cli/run-cli';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { type RunningServer, startServer } from '../../src/server';

export const adminPassword = 'admin-password-for-cli-tests';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Standard input, when it is not a terminal (a piped password). */
  stdin?: string;
  isTTY?: boolean;
}

/** The environment of an operator working on `databasePath`. */
export function operatorEnv(
  databasePath: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return { DATABASE_PATH: databasePath, LOG_LEVEL: 'silent', ...extra };
}

/** Runs one command in-process, as `main.ts` would, and returns its exit code and output. */
export async function cli(
  env: Record<string, string>,
  argv: string[],
  { stdin = '', isTTY = false }: RunOptions = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, env, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from([stdin]),
    isTTY,
  });
  return { code, stdout, stderr };
}

/** Runs a command that must succeed with `--json` and returns its parsed output. */
export async function cliJson<T = unknown>(
  env: Record<string, string>,
  argv: string[],
  options?: RunOptions,
): Promise<T> {
  const result = await cli(env, [...argv, '--json'], options);
  expect(result.stderr, argv.join(' ')).toBe('');
  expect(result.code, argv.join(' ')).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** A command that must fail: a non-zero exit code and exactly one line on standard error. */
export async function cliError(
  env: Record<string, string>,
  argv: string[],
  options?: RunOptions,
): Promise<CliResult> {
  const result = await cli(env, argv, options);
  expect(result.code, result.stdout).not.toBe(0);
  expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
  return result;
}

/** Starts the server on a database (creating it as `serve` does on first start), with no demo data. */
export function startOn(env: Record<string, string>): Promise<RunningServer> {
  const config = loadConfig([], { PORT: '0', ADMIN_PASSWORD: adminPassword, ...env });
  return startServer(config, { logger: createLogger({ level: 'silent' }) });
}

/** A new temporary directory with a server database in it, created by the server, then closed. */
export async function newDatabase(extra: Record<string, string> = {}) {
  const temp = makeTempDir('matomo-oauth2-cli-');
  const databasePath = join(temp.dir, 'matomo.sqlite');
  const env = operatorEnv(databasePath, extra);
  await (await startOn(env)).close();
  return { ...temp, databasePath, env };
}
