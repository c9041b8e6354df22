import type { AuditFilter } from '../audit/audit-query';
import type { Db } from '../db/database';

/** One audit entry as `audit export` writes it: one JSON object a line. */
export interface ExportedAuditEntry {
  id: number;
  created_at: string;
  event: string;
  actor: string | null;
  client_id: string | null;
  ip: string | null;
  detail: unknown;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The entries matching `filter`, oldest first, in pages by id: a long log is never held in memory
 * at once, and entries written while the export runs (by a running server) are left out, so the
 * export is the log as it was when it began, with no entry twice.
 */
export async function* exportAuditEntries(
  db: Db,
  filter: AuditFilter,
  pageSize = 1000,
): AsyncGenerator<ExportedAuditEntry> {
  const last = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  const lastId = last?.id ?? 0;
  let after = 0;
  for (;;) {
    let query = db.selectFrom('audit_log').selectAll().where('id', '>', after).where('id', '<=', lastId);
    if (filter.event !== undefined) query = query.where('event', '=', filter.event);
    if (filter.clientId !== undefined) query = query.where('client_id', '=', filter.clientId);
    if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
    if (filter.since !== undefined) query = query.where('created_at', '>=', filter.since);
    if (filter.until !== undefined) query = query.where('created_at', '<', filter.until);
    const rows = await query.orderBy('id').limit(pageSize).execute();
    for (const row of rows) {
      yield {
        id: row.id,
        created_at: new Date(row.created_at).toISOString(),
        event: row.event,
        actor: row.actor,
        client_id: row.client_id,
        ip: row.ip,
        detail: parsed(row.detail),
      };
    }
    if (rows.length < pageSize) return;
    after = (rows.at(-1) as { id: number }).id;
  }
}
