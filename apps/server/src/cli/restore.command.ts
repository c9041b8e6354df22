import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { sql } from 'kysely';
import { serverPidPath } from '../config/paths';
import { openDatabase } from '../db/database';
import { openKeyEncryptionSecret } from '../tokens/key-encryption-secret';
import { keySecretToKeep } from './backup.command';
import { CliError } from './cli-error';
import type { Command, CommandContext } from './command';
import { checkServerDatabase } from './open-database';

const stopFirst = 'Stop the server before restoring, and start it again afterwards.';

function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}

/**
 * Checks a copy of the backup, not the backup itself (opening a SQLite file may write to it):
 * a database of this server, intact, whose signing keys the configured secret decrypts.
 */
async function checkBackup(copy: string, backup: string, context: CommandContext): Promise<void> {
  const db = openDatabase(copy);
  try {
    await checkServerDatabase(db, backup);
    const { rows } = await sql<{ quick_check: string }>`pragma quick_check`.execute(db);
    if (rows[0]?.quick_check !== 'ok') throw new CliError(`${backup} is damaged (SQLite quick_check failed)`);
    await openKeyEncryptionSecret(db, {
      provided: context.config.keyEncryptionSecret,
      databasePath: context.config.databasePath,
      create: false,
      label: backup,
    });
  } finally {
    await db.destroy();
  }
}

/** The process id of a live server on this database, if any (its pid file, and the process still there). */
function runningServerPid(databasePath: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(serverPidPath(databasePath), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as { code?: string }).code === 'EPERM' ? pid : undefined;
  }
}

export const restoreCommand: Command = {
  name: 'restore',
  args: ['FILE'],
  database: 'none',
  summary: 'replace the configured database with a backup. Stop the server first.',
  notes: [
    stopFirst,
    'FILE must be a database of this server, and the configured key-encryption secret (master.key beside',
    'DATABASE_PATH, or KEY_ENCRYPTION_SECRET) must decrypt its signing keys: put the key file kept with',
    'the backup in place first. The current database is replaced (take a backup first to keep it).',
  ],
  async run(context, input) {
    if (context.config.databaseUrl !== undefined)
      throw new CliError(
        'restore replaces the SQLite file of DATABASE_PATH; on PostgreSQL (DATABASE_URL) use pg_restore (README: "Backups and restore")',
      );
    const backup = resolve(input.args[0] as string);
    if (!existsSync(backup)) throw new CliError(`no backup at ${backup}`);
    if (!statSync(backup).isFile()) throw new CliError(`${backup} is not a file`);
    const target = context.config.databasePath;
    if (backup === target) throw new CliError(`${backup} is the configured database itself`);
    const running = runningServerPid(target);
    if (running !== undefined)
      throw new CliError(`a server (process ${running}) is running on ${target}: stop it first`);
    mkdirSync(dirname(target), { recursive: true });
    // Written beside the database, then renamed over it: the database is never half-replaced.
    const copy = join(dirname(target), `.${basename(target)}.restore-${randomBytes(6).toString('hex')}`);
    try {
      copyFileSync(backup, copy, constants.COPYFILE_EXCL);
      chmodSync(copy, 0o600);
      await checkBackup(copy, backup, context);
      // The old database's journal files would be applied to the restored one: they go first.
      for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${target}${suffix}`, { force: true });
      renameSync(copy, target);
    } finally {
      removeDatabaseFiles(copy);
    }
    const key = keySecretToKeep(context.config);
    context.out.result({ database: target, restored_from: backup, key_file: key.file }, () =>
      [
        `Restored ${target} from ${backup}.`,
        'Start the server again now. (A server that was still running kept the replaced file open: restart it.)',
      ].join('\n'),
    );
  },
};
