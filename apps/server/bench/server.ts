import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ServerEntry, serverCommand, serverEnv } from '../test/support/server-process';

const serverDir = join(import.meta.dirname, '..');

/** Every process the benchmark started and has not seen exit: stopped at the end, whatever happened. */
const running = new Set<ChildProcess>();

export interface BenchServer {
  url: string;
  pid: number;
  /** The database the server was given (for the command line on the same data). */
  env: Record<string, string>;
  stop: () => Promise<void>;
}

export interface StartOptions {
  /** Names the log file, `<dir>/<name>.log`. */
  name: string;
  dir: string;
  entry: ServerEntry;
  /** The server's configuration: its database, `WORKERS`, `ACCESS_TOKEN_ALG`… */
  env: Record<string, string>;
  /** The demo seed (with analytics, it is most of the start time). */
  startTimeoutMs: number;
}

export const benchAdminPassword = 'bench-admin-password';

/**
 * Starts the server with `--demo` as an operator would, its log (the default level: a line per
 * request, as in production) going to a file rather than through the benchmark's own event loop,
 * and waits for its "listening on" line. Throws, with the log's tail, when it exits or takes too long.
 */
export async function startBenchServer(options: StartOptions): Promise<BenchServer> {
  const logFile = join(options.dir, `${options.name}.log`);
  const fd = openSync(logFile, 'w');
  const env = { ADMIN_PASSWORD: benchAdminPassword, ...options.env };
  const child = spawn(process.execPath, [...serverCommand(options.entry), '--demo'], {
    cwd: serverDir,
    env: serverEnv(env),
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  running.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
  });
  const log = () => readFileSync(logFile, 'utf8');
  const stop = () => stopProcess(child, exited);
  try {
    const url = await waitForListening(log, exited, options.startTimeoutMs);
    return { url, pid: child.pid as number, env, stop };
  } catch (error) {
    await stop();
    throw new Error(`${options.name}: ${(error as Error).message}\n${log().slice(-2000)}`);
  }
}

async function waitForListening(
  log: () => string,
  exited: Promise<void>,
  timeoutMs: number,
): Promise<string> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /listening on (http:\/\/[^\s"]+)/.exec(log());
    if (match?.[1]) return match[1];
    if (gone) throw new Error('the server exited before it listened');
    if (Date.now() > deadline) throw new Error(`the server did not listen within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGTERM (the server finishes its requests; a cluster primary stops its workers), SIGKILL after 15 s. */
async function stopProcess(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killed = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(killed);
}

/** Stops every server still running: at the end of the run, after a failure, on Ctrl-C. */
export async function stopAllServers(): Promise<void> {
  await Promise.all(
    [...running].map((child) => stopProcess(child, new Promise((resolve) => child.once('exit', resolve)))),
  );
}

/** Kills every server at once, synchronously: the last resort when the benchmark itself exits. */
export function killAllServers(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** Runs one command of the server's command line (`users create …`) on the server's database. */
export function runServerCommand(
  args: string[],
  {
    entry,
    env,
    stdin,
    timeoutMs = 60_000,
  }: { entry: ServerEntry; env: Record<string, string>; stdin?: string; timeoutMs?: number },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...serverCommand(entry), ...args], {
      cwd: serverDir,
      env: serverEnv(env),
      timeout: timeoutMs,
    });
    running.add(child);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.stdin.end(stdin ?? '');
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      running.delete(child);
      if (code === 0) resolve(output);
      else
        reject(
          new Error(`${args.slice(0, 2).join(' ')} exited with ${code ?? signal}: ${output.slice(-1000)}`),
        );
    });
  });
}
