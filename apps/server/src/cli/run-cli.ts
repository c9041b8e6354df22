import { parseArgs } from 'node:util';
import { createAuditLog } from '../audit/audit-log';
import { type Clock, systemClock } from '../config/clock';
import { configFlags, loadConfig } from '../config/config';
import { helpText } from '../config/help';
import { ValidationError } from '../errors/domain-error';
import { createLogger } from '../logging/logger';
import { auditCommands } from './audit.command';
import { backupCommand } from './backup.command';
import { UsageError } from './cli-error';
import type { CliIo } from './cli-io';
import { clientsCommands } from './clients.command';
import type { Command, CommandContext, CommandGroup, CommandInput } from './command';
import { commandHelp, groupHelp } from './command-help';
import { keysCommands } from './keys.command';
import { openExistingDatabase } from './open-database';
import { createOutput } from './output';
import { restoreCommand } from './restore.command';
import { sitesCommands } from './sites.command';
import { usersCommands } from './users.command';

/** Every command but `serve` (which `main.ts` runs itself), by group. */
export const commandGroups: readonly CommandGroup[] = [
  clientsCommands,
  usersCommands,
  sitesCommands,
  keysCommands,
  auditCommands,
];
export const singleCommands: readonly Command[] = [backupCommand, restoreCommand];

/** The names the server knew before the command groups; the README and scripts use them. */
const aliases: Readonly<Record<string, readonly string[]>> = {
  'keys:rotate': ['keys', 'rotate'],
  'keys:list': ['keys', 'list'],
};

export interface RunCliOptions {
  clock?: Clock;
}

/** The command named by the first words of `argv`, and the rest of the line. */
function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | { help: string } {
  const [first, ...rest] = aliases[argv[0] ?? '']
    ? [...(aliases[argv[0] ?? ''] ?? []), ...argv.slice(1)]
    : argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help')
    return { help: helpText() };
  const group = commandGroups.find((candidate) => candidate.name === first);
  if (group) {
    const [word, ...args] = rest;
    if (word === '--help' || word === '-h') return { help: groupHelp(group) };
    const names = group.commands.map((command) => command.name.split(' ')[1]).join(', ');
    if (word === undefined || word.startsWith('-'))
      throw new UsageError(`${group.name}: which one? ${names} (see ${group.name} --help)`);
    const command = group.commands.find((candidate) => candidate.name === `${group.name} ${word}`);
    if (!command) throw new UsageError(`unknown command "${group.name} ${word.slice(0, 40)}" (${names})`);
    return { command, rest: args };
  }
  const command = singleCommands.find((candidate) => candidate.name === first);
  if (!command) throw new UsageError(`unknown command "${first.slice(0, 40)}" (see --help)`);
  return { command, rest };
}

/** Parses a command's flags, with the server's settings (`--database-path`, …) among them. */
function parseCommandLine(command: Command, argv: string[]) {
  const settings = configFlags();
  const own = Object.fromEntries(
    Object.entries(command.options ?? {}).map(([name, option]) => [
      name,
      {
        type: option.type,
        ...(option.multiple ? { multiple: true } : {}),
        ...(option.short ? { short: option.short } : {}),
      },
    ]),
  );
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { ...settings, ...own, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const all = values as Record<string, string | boolean | string[] | undefined>;
  // The settings go to loadConfig as flags again: one reader of settings, with its checks.
  const configArgv = Object.keys(settings).flatMap((name) => {
    const value = all[name];
    if (value === undefined) return [];
    return typeof value === 'boolean' ? (value ? [`--${name}`] : []) : [`--${name}`, String(value)];
  });
  const input: CommandInput = {
    args: positionals,
    string: (name) => {
      const value = all[name];
      return typeof value === 'string' ? value : undefined;
    },
    strings: (name) => {
      const value = all[name];
      return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
    },
    flag: (name) => all[name] === true,
  };
  return { input, configArgv, json: all.json === true, help: all.help === true };
}

async function run(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
  clock: Clock,
): Promise<number> {
  const found = findCommand(argv);
  if ('help' in found) {
    io.stdout.write(`${found.help}\n`);
    return 0;
  }
  const { command, rest } = found;
  const { input, configArgv, json, help } = parseCommandLine(command, rest);
  if (help) {
    io.stdout.write(`${commandHelp(command)}\n`);
    return 0;
  }
  const names = command.args ?? [];
  if (input.args.length < names.length)
    throw new UsageError(`${command.name}: ${names.slice(input.args.length).join(' ')} is missing`);
  if (input.args.length > names.length)
    throw new UsageError(
      `${command.name}: unexpected argument "${String(input.args[names.length]).slice(0, 40)}"`,
    );

  const config = loadConfig(configArgv, env);
  const context: CommandContext = { config, io, out: createOutput(io, json), clock };
  if (command.database === 'none') {
    await command.run(context, input);
    return 0;
  }
  const db = await openExistingDatabase(config);
  // An entry that cannot be written is reported, as the server's log would.
  const logger = createLogger({
    level: 'error',
    destination: { write: (line: string) => io.stderr.write(line) },
  });
  const audit = createAuditLog({ db, clock, logger });
  try {
    await command.run({ ...context, db, audit, actor: { login: config.adminLogin } }, input);
  } finally {
    await audit.close();
    await db.destroy();
  }
  return 0;
}

/** The message of a failure, on one line. */
function oneLine(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  let message = error instanceof Error ? error.message : String(error);
  // parseArgs explains at length how to pass a positional that starts with "-": the first sentence says it.
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))
    message = message.split('. ')[0] ?? message;
  // The shared rules name the API's parameters ("grantTypes"): here the operator typed flags.
  if (error instanceof ValidationError && error.field !== undefined)
    message = message.replaceAll(`"${error.field}"`, flagOf(error.field));
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

/** The command-line flag of a setting the shared rules name (`grantTypes` → `--grant-types`). */
function flagOf(field: string): string {
  if (field === 'redirectUris') return '--redirect-uri';
  return `--${field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

function exitCode(error: unknown): number {
  if (error instanceof UsageError) return 2;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
}

/**
 * The operator's command line (every command but `serve`): runs one command and returns its exit
 * code. A failure is one line on standard error (`error: unknown client "abc"`): 2 for a wrong
 * command line, 1 for anything else. Reads no environment of its own: `env` is passed in.
 */
export async function runCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
  { clock = systemClock }: RunCliOptions = {},
): Promise<number> {
  try {
    return await run(argv, env, io, clock);
  } catch (error) {
    io.stderr.write(`error: ${oneLine(error)}\n`);
    return exitCode(error);
  }
}
