import { auditEvents } from '../audit/audit-log';
import { type AuditFilter, type AuditRecord, isAuditEvent, listAuditEntries } from '../audit/audit-query';
import { exportAuditEntries } from './audit-export';
import { UsageError } from './cli-error';
import { type CommandGroup, type CommandInput, type CommandOption, wholeNumber } from './command';
import { isoTime, table } from './output';

const filterOptions: Record<string, CommandOption> = {
  event: { type: 'string', value: 'EVENT', description: 'only this event (token.issued, client.created, …)' },
  client: { type: 'string', value: 'ID', description: 'only entries about this client' },
  user: { type: 'string', value: 'LOGIN', description: 'only entries made by or about this user' },
};

function eventOf(input: CommandInput): AuditFilter['event'] {
  const event = input.string('event');
  if (event === undefined) return undefined;
  if (!isAuditEvent(event))
    throw new UsageError(`unknown event "${event.slice(0, 60)}" (one of ${auditEvents.join(', ')})`);
  return event;
}

function timeOf(input: CommandInput, name: string): number | undefined {
  const value = input.string(name);
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time))
    throw new UsageError(`--${name} must be a date or time (ISO 8601), got "${value.slice(0, 40)}"`);
  return time;
}

function filterOf(input: CommandInput): AuditFilter {
  return { event: eventOf(input), clientId: input.string('client'), user: input.string('user') };
}

function entryJson(entry: AuditRecord) {
  return {
    id: entry.id,
    created_at: new Date(entry.createdAt).toISOString(),
    event: entry.event,
    actor: entry.actor,
    client_id: entry.clientId,
    ip: entry.ip,
    detail: entry.detail,
  };
}

export const auditCommands: CommandGroup = {
  name: 'audit',
  summary: 'the audit log (never a secret, token, code or password)',
  commands: [
    {
      name: 'audit tail',
      summary: 'the last entries, oldest of them first (--json: an array, in the same order)',
      options: {
        lines: { type: 'string', short: 'n', value: 'N', description: 'how many entries (default 20)' },
        ...filterOptions,
      },
      async run(context, input) {
        const limit = wholeNumber(input.string('lines') ?? '20', '-n');
        const entries = (await listAuditEntries(context.db, { ...filterOf(input), limit })).reverse();
        context.out.result(entries.map(entryJson), () =>
          table(
            ['TIME', 'EVENT', 'ACTOR', 'CLIENT', 'IP', 'DETAIL'],
            entries.map((entry) => [
              isoTime(entry.createdAt),
              entry.event,
              entry.actor ?? '-',
              entry.clientId ?? '-',
              entry.ip ?? '-',
              Object.keys(entry.detail).length === 0 ? '' : JSON.stringify(entry.detail),
            ]),
            'No audit entries match.',
          ),
        );
      },
    },
    {
      name: 'audit export',
      summary: 'entries as JSON lines on standard output, oldest first: one entry a line',
      options: {
        since: {
          type: 'string',
          value: 'ISO',
          description: 'entries at or after this time (2026-11-01, or a full time)',
        },
        until: { type: 'string', value: 'ISO', description: 'entries before this time' },
        ...filterOptions,
      },
      notes: ['Example:', '  audit export --since 2026-11-01 > audit-2026-11.jsonl'],
      async run(context, input) {
        const filter = { ...filterOf(input), since: timeOf(input, 'since'), until: timeOf(input, 'until') };
        // JSON lines whether or not --json is given: the format is the point of the command.
        for await (const entry of exportAuditEntries(context.db, filter)) {
          context.io.stdout.write(`${JSON.stringify(entry)}\n`);
        }
      },
    },
  ],
};
