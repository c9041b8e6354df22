import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { OneCoreOperation } from './one-core-loop';

const serverDir = join(import.meta.dirname, '..');

/**
 * Operations per second of one core: `one-core-loop.ts` in a process of its own, its loop
 * synchronous (one thread), run while the server is idle. The reference of what the server could
 * reach per core.
 */
export function oneCoreRate(operation: OneCoreOperation, milliseconds: number): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join('bench', 'one-core-loop.ts'), operation, String(milliseconds)],
      { cwd: serverDir, timeout: milliseconds + 30_000 },
      (error, stdout) => {
        if (error) return reject(error);
        const { operations, seconds } = JSON.parse(stdout) as { operations: number; seconds: number };
        resolve(operations / seconds);
      },
    );
  });
}
