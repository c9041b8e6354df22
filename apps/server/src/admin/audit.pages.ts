import type { AdminDeps } from './admin-deps';
import type { AdminRoute } from './admin-route';

/** The audit log: newest first, paginated, filtered by event, client and user. */
export function auditPages(_deps: AdminDeps): AdminRoute[] {
  return [];
}
