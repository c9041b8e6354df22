import type { Actor } from '../audit/actor';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../config/clock';
import type { Config } from '../config/config';
import type { Db } from '../db/database';
import { UsageError } from './cli-error';
import type { CliIo } from './cli-io';
import type { Output } from './output';

/** One flag of a command, as `parseArgs` reads it and `--help` shows it. */
export interface CommandOption {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** The value's name in `--help`: `--name NAME`. */
  value?: string;
  description: string;
}

/** What every command runs with. */
export interface CommandContext {
  config: Config;
  io: CliIo;
  out: Output;
  clock: Clock;
}

/** What a command on the configured database runs with: the database, opened and migrated, and the audit log. */
export interface DatabaseContext extends CommandContext {
  db: Db;
  audit: AuditLog;
  /** Who the audit log names for a change made from the command line: the configured ADMIN_LOGIN. */
  actor: Actor;
}

/** The command line of one command, parsed. */
export interface CommandInput {
  /** The positional arguments, in the order the command names them. */
  args: readonly string[];
  /** A string flag, or undefined when not given. */
  string(name: string): string | undefined;
  /** A repeatable string flag: every value, in order. */
  strings(name: string): string[];
  flag(name: string): boolean;
}

interface CommandBase {
  /** As typed: `clients create`. */
  name: string;
  summary: string;
  /** Positional arguments, in order: `ID`, `FILE`. */
  args?: readonly string[];
  options?: Readonly<Record<string, CommandOption>>;
  /** More `--help` lines. */
  notes?: readonly string[];
}

/** A command on the configured database, which must exist. */
export interface DatabaseCommand extends CommandBase {
  database?: 'existing';
  run(context: DatabaseContext, input: CommandInput): Promise<void>;
}

/** A command that opens what it needs itself (`restore` must not hold the database open). */
export interface PlainCommand extends CommandBase {
  database: 'none';
  run(context: CommandContext, input: CommandInput): Promise<void>;
}

export type Command = DatabaseCommand | PlainCommand;

/** A group of commands under one word (`clients list`, `clients create`, …). */
export interface CommandGroup {
  name: string;
  summary: string;
  commands: readonly Command[];
}

/** A required flag of a command. */
export function required(input: CommandInput, name: string, command: string): string {
  const value = input.string(name);
  if (value === undefined || value === '') throw new UsageError(`${command}: --${name} is required`);
  return value;
}

/** A positive whole number from the command line (an id, a count). */
export function wholeNumber(value: string, what: string): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1)
    throw new UsageError(`${what} must be a whole number, got "${value.slice(0, 40)}"`);
  return Number(value);
}
