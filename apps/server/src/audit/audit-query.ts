import { sql } from 'kysely';
import type { Db } from '../db/database';
import { dialectOf } from '../db/dialect';
import { dialectSql } from '../db/dialect-sql';
import { type AuditEvent, auditEvents } from './audit-log';

/** One audit entry as people and tools read it. */
export interface AuditRecord {
  id: number;
  createdAt: number;
  event: string;
  actor: string | null;
  clientId: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
}

export interface AuditFilter {
  event?: AuditEvent | undefined;
  clientId?: string | undefined;
  /** A user: the entries they made (actor) and the entries about them (`detail.login`). */
  user?: string | undefined;
  /** Entries at or after this time, ms. */
  since?: number | undefined;
  /** Entries before this time, ms. */
  until?: number | undefined;
}

/** The audit entries that match `filter`, as a query to refine (order, page). */
export function auditEntriesMatching(db: Db, filter: AuditFilter) {
  let query = db.selectFrom('audit_log');
  if (filter.event !== undefined) query = query.where('event', '=', filter.event);
  if (filter.clientId !== undefined) query = query.where('client_id', '=', filter.clientId);
  const { user } = filter;
  if (user !== undefined) {
    const login = dialectSql(dialectOf(db)).jsonText(sql.ref('detail'), 'login');
    query = query.where((eb) => eb.or([eb('actor', '=', user), eb(login, '=', user)]));
  }
  if (filter.since !== undefined) query = query.where('created_at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('created_at', '<', filter.until);
  return query;
}

/** An entry's details, parsed (`{}` for anything that is not a JSON object). */
export function parseDetail(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** Entries matching `filter`, newest first. */
export async function listAuditEntries(
  db: Db,
  filter: AuditFilter & { limit: number; offset?: number | undefined },
): Promise<AuditRecord[]> {
  const rows = await auditEntriesMatching(db, filter)
    .selectAll()
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .offset(filter.offset ?? 0)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.created_at,
    event: row.event,
    actor: row.actor,
    clientId: row.client_id,
    ip: row.ip,
    detail: parseDetail(row.detail),
  }));
}

export async function countAuditEntries(db: Db, filter: AuditFilter): Promise<number> {
  const row = await auditEntriesMatching(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether `value` names an audit event (for filters read from a request or the command line). */
export function isAuditEvent(value: string): value is AuditEvent {
  return (auditEvents as readonly string[]).includes(value);
}
