// The command line as a whole: help, unknown commands, a missing database, and the real process
// (exit codes, `npm run server` from the repository root).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commandGroups, singleCommands } from '../../src/cli/run-cli';
import { helpText } from '../../src/config/help';
import { cli, cliError, newDatabase, operatorEnv } from './cli-harness';

const serverDir = join(import.meta.dirname, '..', '..');
const rootDir = join(serverDir, '..', '..');
const everyCommand = [...commandGroups.flatMap((group) => group.commands), ...singleCommands];

let database: Awaited<ReturnType<typeof newDatabase>>;
beforeAll(async () => {
  database = await newDatabase();
});
afterAll(() => database.remove());

/** The words that run a command, and placeholder arguments. */
function commandLine(name: string, args: readonly string[] = []): string[] {
  return [...name.split(' '), ...args.map(() => 'x')];
}

describe('help', () => {
  test('--help lists every command group, and the settings', async () => {
    const result = await cli({}, ['--help']);
    expect(result.code).toBe(0);
    for (const name of [...commandGroups.map((group) => group.name), ...singleCommands.map((c) => c.name)])
      expect(result.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    expect(result.stdout).toContain('DATABASE_PATH');
    expect(result.stdout).toBe(`${helpText()}\n`);
  });

  test.each(everyCommand.map((command) => [command.name, command] as const))(
    '%s --help: usage, flags, --json, the settings; exit 0, nothing opened',
    async (name, command) => {
      const result = await cli(operatorEnv('/nonexistent/matomo.sqlite'), [...name.split(' '), '--help']);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(new RegExp(`^Usage: matomo-oauth2-server ${name}`));
      for (const flag of Object.keys(command.options ?? {})) expect(result.stdout).toContain(`--${flag}`);
      expect(result.stdout).toContain('--json');
      expect(result.stdout).toContain('DATABASE_PATH');
    },
  );

  test('a group alone with --help lists its commands', async () => {
    for (const group of commandGroups) {
      const result = await cli({}, [group.name, '--help']);
      expect(result.code).toBe(0);
      for (const command of group.commands) expect(result.stdout).toContain(command.name);
    }
  });
});

describe('bad command lines: exit 2, one line', () => {
  test.each([
    [['frobnicate'], 'error: unknown command "frobnicate" (see --help)'],
    [
      ['clients'],
      'error: clients: which one? list, show, create, update, rotate-secret, pause, resume, delete (see clients --help)',
    ],
    [['keys', 'list', '--database-path'], "error: Option '--database-path <value>' argument missing"],
    [['sites', 'list', 'extra'], 'error: sites list: unexpected argument "extra"'],
  ])('%j', async (argv, line) => {
    const result = await cliError(database.env, argv);
    expect(result.stderr).toBe(`${line}\n`);
    expect(result.code).toBe(2);
  });

  test('a bad setting is one line too, exit 1', async () => {
    const result = await cliError({ ...database.env, ACCESS_TOKEN_TTL: 'soon' }, ['clients', 'list']);
    expect(result.stderr).toMatch(/^error: ACCESS_TOKEN_TTL must be a whole number/);
    expect(result.code).toBe(1);
  });
});

describe('a missing database', () => {
  test.each(
    everyCommand
      .filter((command) => command.database !== 'none')
      .map((command) => [command.name, command] as const),
  )('%s refuses to run and creates nothing', async (_name, command) => {
    const path = join(database.dir, 'nowhere', 'matomo.sqlite');
    const result = await cliError(operatorEnv(path), commandLine(command.name, command.args));
    expect(result.stderr).toBe(`error: no database at ${path} (set DATABASE_PATH)\n`);
    expect(result.code).toBe(1);
    expect(existsSync(join(database.dir, 'nowhere'))).toBe(false);
  });
});

describe('as a process', () => {
  const main = (args: string[], env: Record<string, string>, input?: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      cwd: serverDir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      ...(input === undefined ? {} : { input }),
    });

  test('exit codes and one line on standard error', () => {
    const listed = main(['clients', 'list', '--json'], database.env);
    expect(listed.status, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([]);
    const unknown = main(['clients', 'show', 'abc'], database.env);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe('error: unknown client "abc"\n');
    expect(unknown.stdout).toBe('');
    const usage = main(['clients', 'show'], database.env);
    expect(usage.status).toBe(2);
    const path = join(database.dir, 'elsewhere', 'matomo.sqlite');
    const missing = main(['keys:list'], operatorEnv(path));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`error: no database at ${path} (set DATABASE_PATH)\n`);
    expect(existsSync(path)).toBe(false);
  });

  test('an option before the command word starts nothing and creates nothing (regression: it served a new database)', () => {
    const path = join(database.dir, 'before', 'matomo.sqlite');
    const result = main(['--database-path', path, 'users', 'list'], { PORT: '0' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Unexpected argument "users": a command goes first/);
    expect(existsSync(join(database.dir, 'before'))).toBe(false);
  });

  test('a password piped into the process is read from standard input', () => {
    const created = main(
      ['users', 'create', 'zed', '--email', 'zed@example.org', '--json'],
      database.env,
      'a long piped passphrase\n',
    );
    expect(created.status, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ user: { login: 'zed' }, password: null });
  });

  test('npm run server -- clients list --json, from the repository root', () => {
    const result = spawnSync('npm', ['run', 'server', '--', 'clients', 'list', '--json'], {
      cwd: rootDir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...database.env },
    });
    expect(result.status, result.stderr).toBe(0);
    // npm prints its own header lines first.
    expect(JSON.parse(result.stdout.slice(result.stdout.indexOf('[')))).toEqual([]);
  }, 60_000);

  test('npm run server -- backup FILE: a relative FILE is the caller’s, not apps/server’s', () => {
    const caller = mkdtempSync(join(tmpdir(), 'cli-caller-'));
    try {
      const result = spawnSync('npm', ['--prefix', rootDir, 'run', 'server', '--', 'backup', 'copy.sqlite'], {
        cwd: caller,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...database.env },
      });
      expect(result.status, result.stderr).toBe(0);
      expect(existsSync(join(caller, 'copy.sqlite'))).toBe(true);
      expect(existsSync(join(serverDir, 'copy.sqlite'))).toBe(false);
    } finally {
      rmSync(caller, { recursive: true, force: true });
    }
  }, 60_000);
});
