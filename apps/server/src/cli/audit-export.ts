import { type AuditFilter, auditEntriesMatching, parseDetail } from '../audit/audit-query';
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
    const query = auditEntriesMatching(db, filter)
      .selectAll()
      .where('id', '>', after)
      .where('id', '<=', lastId);
    const rows = await query.orderBy('id').limit(pageSize).execute();
    for (const row of rows) {
      yield {
        id: row.id,
        created_at: new Date(row.created_at).toISOString(),
        event: row.event,
        actor: row.actor,
        client_id: row.client_id,
        ip: row.ip,
        detail: parseDetail(row.detail),
      };
    }
    if (rows.length < pageSize) return;
    after = (rows.at(-1) as { id: number }).id;
  }
}
