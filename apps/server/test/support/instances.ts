import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';
import { type ServerProcess, startServerProcess } from './server-process';

/** The secret every instance of one database must share (it encrypts the signing keys). */
export const sharedKeyEncryptionSecret = 'multi-instance-tests-share-this-32+-character-secret';

/** One issuer for every instance behind the (imagined) load balancer: tokens name it in `iss`. */
export const sharedIssuer = 'http://127.0.0.1:8080';

export const adminPassword = 'admin-password-for-multi-instance-tests';

/** The demo, without analytics (nothing here reads them), as every instance of one database runs it. */
export function demoEnv(extra: Record<string, string>): Record<string, string> {
  return {
    KEY_ENCRYPTION_SECRET: sharedKeyEncryptionSecret,
    ISSUER: sharedIssuer,
    ADMIN_PASSWORD: adminPassword,
    DEMO_VISITS_PER_DAY: '0',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/** Starts `count` server processes at once on one configuration (all racing to migrate and seed). */
export function startInstances(count: number, env: Record<string, string>): Promise<ServerProcess[]> {
  return Promise.all(Array.from({ length: count }, () => startServerProcess(['--demo'], env)));
}

/** SIGTERM, as an operator stops it; resolves with the exit code. */
export async function stopServer(server: ServerProcess): Promise<number | null> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
  return server.exited;
}

/**
 * The node processes whose parent is `pid`: a cluster primary's workers. (Under tsx, the primary
 * may also have an esbuild service as a child: not a node process, so not listed.)
 */
export function nodeChildPids(pid: number): number[] {
  const listed = spawnSync('ps', ['-o', 'pid=,comm=', '--ppid', String(pid)], { encoding: 'utf8' });
  const node = basename(process.execPath);
  return listed.stdout.split('\n').flatMap((line) => {
    const [child, command] = line.trim().split(/\s+/);
    return command === node && Number(child) > 0 ? [Number(child)] : [];
  });
}

/** Whether a process with this id exists (a signal 0 is only checked, never sent). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** The JSON lines a server logged (pino), parsed; other lines are skipped. */
export function logRecords(server: ServerProcess): Record<string, unknown>[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}
