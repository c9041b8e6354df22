import type { Db } from '../db/database';
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
  /** The user the entry is about: its actor (who acted, or who tried to sign in). */
  actor?: string | undefined;
  /** Entries at or after this time, ms. */
  since?: number | undefined;
  /** Entries before this time, ms. */
  until?: number | undefined;
}

function filtered(db: Db, filter: AuditFilter) {
  let query = db.selectFrom('audit_log');
  if (filter.event !== undefined) query = query.where('event', '=', filter.event);
  if (filter.clientId !== undefined) query = query.where('client_id', '=', filter.clientId);
  if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
  if (filter.since !== undefined) query = query.where('created_at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('created_at', '<', filter.until);
  return query;
}

function parseDetail(text: string): Record<string, unknown> {
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
  const rows = await filtered(db, filter)
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
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether `value` names an audit event (for filters read from a request or the command line). */
export function isAuditEvent(value: string): value is AuditEvent {
  return (auditEvents as readonly string[]).includes(value);
}
