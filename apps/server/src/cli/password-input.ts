import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CliError, UsageError } from './cli-error';
import type { CliIo } from './cli-io';
import type { CommandInput, CommandOption } from './command';

/** The flags of a command that sets a password: never the password itself on the command line. */
export const passwordOptions: Record<string, CommandOption> = {
  'password-file': {
    type: 'string',
    value: 'FILE',
    description:
      'read the password from FILE (its first line); otherwise from standard input when it is not a terminal',
  },
  generate: { type: 'boolean', description: 'generate a password and print it, once' },
};

async function firstLine(stdin: AsyncIterable<string | Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/**
 * The new password of a user: from `--password-file`, from standard input when it is not a terminal
 * (`… | users set-password LOGIN`), or generated with `--generate` (then the caller prints it once).
 * Never from an argument: arguments are visible to every user of the machine and kept in shell history.
 */
export async function readNewPassword(
  input: CommandInput,
  io: CliIo,
  command: string,
): Promise<{ password: string; generated: boolean }> {
  const file = input.string('password-file');
  if (file !== undefined && input.flag('generate'))
    throw new UsageError(`${command}: give --password-file or --generate, not both`);
  if (input.flag('generate')) return { password: randomBytes(18).toString('base64url'), generated: true };
  let password: string;
  if (file !== undefined) {
    try {
      password = readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? '';
    } catch (error) {
      throw new CliError(`cannot read ${file} (${(error as { code?: string }).code ?? 'error'})`);
    }
  } else if (io.isTTY) {
    throw new UsageError(
      `${command}: give the password with --password-file FILE, on standard input, or --generate`,
    );
  } else {
    password = await firstLine(io.stdin);
  }
  if (password === '') throw new CliError('the password is empty');
  return { password, generated: false };
}
