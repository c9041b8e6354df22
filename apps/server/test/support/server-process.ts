import { type ChildProcess, type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const serverDir = join(import.meta.dirname, '..', '..');

/**
 * How the server process is started: `src` from TypeScript through tsx, as in development; `dist`
 * the build with plain node, as in production. `SERVER_ENTRY=dist` runs every process-level test
 * on the build.
 */
export type ServerEntry = 'src' | 'dist';

export const defaultServerEntry: ServerEntry = process.env.SERVER_ENTRY === 'dist' ? 'dist' : 'src';

/** The node arguments that run the server's `main`, before the server's own arguments. */
export function serverCommand(entry: ServerEntry = defaultServerEntry): string[] {
  return entry === 'dist' ? [join(serverDir, 'dist', 'main.js')] : ['--import', 'tsx', 'src/main.ts'];
}

/**
 * Builds `dist` when it is missing or older than the sources, as `npm run server` does (CI has
 * built it with `pnpm build` before the tests); returns the path of `dist/main.js`. Throws when the
 * build fails, so a test on the build never runs without one.
 */
export async function ensureServerBuilt(): Promise<string> {
  const workspace = pathToFileURL(join(serverDir, '..', '..', 'scripts', 'workspace.mjs')).href;
  const { ensureServerBuild } = (await import(workspace)) as { ensureServerBuild: () => string };
  return ensureServerBuild();
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote so far, stdout and stderr. */
  output: () => string;
  exited: Promise<number | null>;
}

/** Only what the server needs: no variable of the test run leaks into its configuration. */
export function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', ...extra };
}

/** Runs one command of the server to its end (`--help`, `keys:rotate`, …), as an operator would. */
export function runServer(
  args: string[],
  { env, entry = defaultServerEntry }: { env?: NodeJS.ProcessEnv; entry?: ServerEntry } = {},
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [...serverCommand(entry), ...args], {
    cwd: serverDir,
    encoding: 'utf8',
    ...(env === undefined ? {} : { env }),
  });
}

/** Starts the server as an operator would, and waits for its "listening on" line. */
export async function startServerProcess(
  args: string[],
  extra: Record<string, string>,
  entry: ServerEntry = defaultServerEntry,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...serverCommand(entry), ...args], {
    cwd: serverDir,
    env: serverEnv(extra),
  });
  const watched = watchProcess(child);
  const url = (await watched.waitFor(/listening on (http:\/\/\S+)/))[1] ?? '';
  return { child, url, output: watched.output, exited: watched.exited };
}

/** Collects a process's stdout and stderr; `waitFor` resolves at the first match, rejects if it exits first. */
export function watchProcess(child: ChildProcess) {
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = pattern.exec(output);
        if (match) {
          clearInterval(timer);
          resolve(match);
        }
      }, 50);
      void exited.then((code) => {
        clearInterval(timer);
        reject(new Error(`exited with ${code}: ${output}`));
      });
    });
  return { output: () => output, exited, waitFor };
}
