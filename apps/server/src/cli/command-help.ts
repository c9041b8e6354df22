import { optionsHelp } from '../config/help';
import type { Command, CommandGroup } from './command';

const program = 'matomo-oauth2-server';

function usage(command: Command): string {
  const args = (command.args ?? []).join(' ');
  return `Usage: ${program} ${command.name}${args ? ` ${args}` : ''} [options]`;
}

/** `clients --help`: the commands of a group. */
export function groupHelp(group: CommandGroup): string {
  const width = Math.max(...group.commands.map((command) => usageLine(command).length));
  return [
    `${group.name}: ${group.summary}`,
    '',
    'Commands (each has --help):',
    ...group.commands.map((command) => `  ${usageLine(command).padEnd(width)}  ${command.summary}`),
  ].join('\n');
}

function usageLine(command: Command): string {
  const args = (command.args ?? []).join(' ');
  return `${command.name}${args ? ` ${args}` : ''}`;
}

/** `clients create --help`: what it does, its flags, and the settings every command reads. */
export function commandHelp(command: Command): string {
  const flags = Object.entries(command.options ?? {}).map(([name, option]) => {
    const short = option.short ? `-${option.short}, ` : '';
    const value = option.value ? ` ${option.value}` : '';
    return [`${short}--${name}${value}`, option.description] as const;
  });
  flags.push(['--json', 'print JSON instead of text, for scripts'], ['--help', 'show this help']);
  const width = Math.max(...flags.map(([flag]) => flag.length));
  return [
    usage(command),
    '',
    `${command.summary[0]?.toUpperCase() ?? ''}${command.summary.slice(1)}.`,
    ...(command.notes ? ['', ...command.notes] : []),
    '',
    'Options:',
    ...flags.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`),
    '',
    optionsHelp(),
  ].join('\n');
}
