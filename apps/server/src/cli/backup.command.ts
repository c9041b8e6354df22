import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { sql } from 'kysely';
import type { Config } from '../config/config';
import { masterKeyPath } from '../config/paths';
import { CliError } from './cli-error';
import type { Command } from './command';

/** What the operator must keep beside a backup: the secret its signing keys are encrypted with. */
export function keySecretToKeep(config: Config): { file: string | null; text: string } {
  if (config.keyEncryptionSecret !== undefined)
    return {
      file: null,
      text: 'Keep the KEY_ENCRYPTION_SECRET this server runs with: the signing keys in the backup are encrypted with it.',
    };
  const file = masterKeyPath(config.databasePath);
  return {
    file,
    text: `Keep the key file ${file} with it: the signing keys in the backup are encrypted with it, and restore needs it.`,
  };
}

export const backupCommand: Command = {
  name: 'backup',
  args: ['FILE'],
  summary: 'a consistent copy of the database (SQLite VACUUM INTO), also while the server runs',
  notes: [
    'FILE must not exist; it is created readable by its owner only. The copy holds every row committed',
    'before it began (a plain file copy under WAL loses recent rows). Keep the key file with it.',
  ],
  async run(context, input) {
    if (context.config.databaseUrl !== undefined)
      throw new CliError(
        'backup copies the SQLite file of DATABASE_PATH; on PostgreSQL (DATABASE_URL) use pg_dump (README: "Backups and restore")',
      );
    const target = resolve(input.args[0] as string);
    if (existsSync(target)) throw new CliError(`${target} already exists: a backup never overwrites a file`);
    // A typo in the directory must not create a tree somewhere: the directory has to exist.
    const directory = dirname(target);
    if (!existsSync(directory) || !statSync(directory).isDirectory())
      throw new CliError(`${directory} is not a directory`);
    // VACUUM INTO fills an empty file: created first, for its owner only, and refused if it appeared meanwhile.
    writeFileSync(target, '', { mode: 0o600, flag: 'wx' });
    try {
      await sql`vacuum into ${target}`.execute(context.db);
    } catch (error) {
      rmSync(target, { force: true });
      throw error;
    }
    const key = keySecretToKeep(context.config);
    const missingKey = key.file !== null && !existsSync(key.file);
    context.out.result(
      {
        file: target,
        database: context.config.databasePath,
        bytes: statSync(target).size,
        key_file: key.file,
        key_file_missing: missingKey,
      },
      () =>
        [
          `Backed up ${context.config.databasePath} to ${target} (${statSync(target).size} bytes).`,
          key.text,
          ...(missingKey
            ? [`Warning: ${key.file} does not exist; without it the backup's signing keys are lost.`]
            : []),
        ].join('\n'),
    );
  },
};
