import { countAuditEntries, listAuditEntries } from '../audit/audit-query';
import { queryParams } from '../http/form-body';
import type { AppMiddleware } from '../http/state';
import type { AdminDeps } from './admin-deps';
import type { AdminRoute } from './admin-route';
import type { AdminState } from './admin-state';
import { auditPage } from './audit.page';
import { AUDIT_PAGE_SIZE, readAuditQuery } from './audit-filter';
import { showAdminPage } from './show-admin-page';

/**
 * The audit log: newest first, 50 a page, filtered by event, client and user. It shows what the
 * log holds, which by construction is never a secret, token, code or password.
 */
export function auditPages({ db }: Pick<AdminDeps, 'db'>): AdminRoute[] {
  const showAuditLog: AppMiddleware<AdminState> = async function showAuditLog(ctx) {
    const query = readAuditQuery(queryParams(ctx));
    const refused = Object.keys(query.errors).length > 0;
    // A filter that cannot match (an unknown event) shows nothing rather than everything.
    const [total, entries] = refused
      ? [0, []]
      : await Promise.all([
          countAuditEntries(db, query.filter),
          listAuditEntries(db, {
            ...query.filter,
            limit: AUDIT_PAGE_SIZE,
            offset: (query.page - 1) * AUDIT_PAGE_SIZE,
          }),
        ]);
    const body = auditPage({ query, entries, total, pageCount: Math.ceil(total / AUDIT_PAGE_SIZE) });
    showAdminPage(ctx, refused ? 400 : 200, { title: 'Audit log', section: 'audit', body });
  };

  return [{ method: 'GET', path: '/admin/audit', handler: showAuditLog }];
}
