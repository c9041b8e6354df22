// The server as production runs it: the build (`dist/main.js`) with plain node, no TypeScript
// loader. lifecycle.test.ts runs its scenarios on the build as well; this file pins what makes the
// build a build: nothing of tsx or of src/ at run time, the package's bin, `npm run server`.

import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync, utimesSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeTempDir } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  ensureServerBuilt,
  runServer,
  serverEnv,
  startServerProcess,
  watchProcess,
} from './support/server-process';

const serverDir = join(import.meta.dirname, '..');
const rootDir = join(serverDir, '..', '..');
const packageJson = JSON.parse(readFileSync(join(serverDir, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};
const temp = makeTempDir('matomo-oauth2-built-');
afterAll(() => temp.remove());

let main = '';
// Built here when missing or stale (CI has run `pnpm build`); a failed build fails every test.
beforeAll(async () => {
  main = await ensureServerBuilt();
}, 60_000);

/** The module specifiers `code` imports, static and side-effect imports. */
function importSpecifiers(code: string): string[] {
  const statics = [...code.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s*"([^"]+)";/gm)];
  const bare = [...code.matchAll(/^import\s*"([^"]+)";/gm)];
  return [...statics, ...bare].map((match) => match[1] ?? '');
}

/** The command line of a running process, as `ps` shows it. */
function commandLine(pid: number): string {
  return spawnSync('ps', ['-ww', '-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
}

describe('the build', () => {
  test('is one JavaScript file with a node shebang that imports only node built-ins and dependencies: nothing of tsx, no .ts, no src/', () => {
    const code = readFileSync(main, 'utf8');
    expect(code.split('\n', 1)[0]).toBe('#!/usr/bin/env node');
    const specifiers = importSpecifiers(code);
    expect(specifiers).toContain('koa');
    // A dynamic import would load a file of its own at run time (a chunk, or a .ts source).
    expect(code).not.toMatch(/\bimport\(\s*["'`]/);
    const allowed = new Set([...builtinModules, ...Object.keys(packageJson.dependencies)]);
    const packageOf = (specifier: string) =>
      specifier
        .replace(/^node:/, '')
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/');
    // A devDependency (the SDK, tsx…) is not installed in production; a relative path is not bundled.
    expect(specifiers.filter((specifier) => !allowed.has(packageOf(specifier)))).toEqual([]);
    expect(specifiers.filter((specifier) => /^tsx(\/|$)|\.[cm]?ts$/.test(specifier))).toEqual([]);
  });

  test("is the package's bin, executable", () => {
    expect(Object.values(packageJson.bin)).toEqual(['./dist/main.js']);
    expect(join(serverDir, 'dist/main.js')).toBe(main);
    expect(statSync(main).mode & 0o111).not.toBe(0);
  });

  test('is rebuilt when older than its sources, and left alone when current', async () => {
    utimesSync(main, new Date(0), new Date(0));
    await ensureServerBuilt();
    const rebuilt = statSync(main).mtimeMs;
    expect(rebuilt).toBeGreaterThan(0);
    expect(readFileSync(main, 'utf8').split('\n', 1)[0]).toBe('#!/usr/bin/env node');
    await ensureServerBuilt();
    expect(statSync(main).mtimeMs).toBe(rebuilt);
  }, 60_000);
});

describe('plain node dist/main.js', () => {
  test('starts with no loader on its command line, answers, runs a command, and stops cleanly on SIGTERM', async () => {
    const databasePath = join(temp.dir, 'plain', 'matomo.sqlite');
    const server = await startServerProcess(
      [],
      { DATABASE_PATH: databasePath, ADMIN_PASSWORD: 'x-password-x' },
      'dist',
    );
    try {
      const pid = server.child.pid ?? 0;
      expect(commandLine(pid)).toBe(`${process.execPath} ${main}`);
      const metadata = (await (
        await fetch(`${server.url}/.well-known/oauth-authorization-server`)
      ).json()) as {
        issuer: string;
      };
      expect(metadata.issuer).toBe(server.url);
      // An operator's command on the same database, alongside the running server.
      const users = runServer(['users', 'list', '--json'], {
        entry: 'dist',
        env: serverEnv({ DATABASE_PATH: databasePath }),
      });
      expect(users.status, users.stderr).toBe(0);
      expect((JSON.parse(users.stdout) as { login: string }[]).map((user) => user.login)).toEqual(['admin']);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('Stopped.');
  });

  test('--demo serves the demo dashboard of apps/demo/dist: its path holds from dist/ as from src/', async () => {
    const dashboard = join(rootDir, 'apps/demo/dist/index.html');
    // As `npm start` does: built when missing or stale (CI has built it with `pnpm build`).
    const { ensureDemoDashboard } = (await import(
      pathToFileURL(join(rootDir, 'scripts/workspace.mjs')).href
    )) as {
      ensureDemoDashboard: (pnpm: [string, string[]]) => void;
    };
    ensureDemoDashboard(['pnpm', []]);
    const server = await startServerProcess(
      ['--demo'],
      { DATABASE_PATH: join(temp.dir, 'demo', 'matomo.sqlite'), ADMIN_PASSWORD: 'x-password-x' },
      'dist',
    );
    try {
      const response = await fetch(`${server.url}/demo/`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(readFileSync(dashboard, 'utf8'));
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
  }, 60_000);

  test('--help', () => {
    const result = runServer(['--help'], { entry: 'dist', env: serverEnv({}) });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('DATABASE_PATH');
  });
});

describe('npm run server -- serve', () => {
  test('runs the build with plain node (scripts/server.mjs), and passes SIGTERM on for a clean stop', async () => {
    const child = spawn(process.execPath, [join(rootDir, 'scripts/server.mjs'), 'serve'], {
      cwd: rootDir,
      env: serverEnv({
        DATABASE_PATH: join(temp.dir, 'npm', 'matomo.sqlite'),
        ADMIN_PASSWORD: 'x-password-x',
        LOG_LEVEL: 'info',
      }),
    });
    const run = watchProcess(child);
    try {
      // Not a terminal: the log is JSON lines, each with the server's pid.
      const [line] = await run.waitFor(/^\{.*listening on .*$/m);
      const { pid } = JSON.parse(line) as { pid: number };
      expect(pid).not.toBe(child.pid);
      expect(commandLine(pid)).toBe(`${process.execPath} --enable-source-maps ${main} serve`);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('Stopped.');
  }, 60_000);
});
