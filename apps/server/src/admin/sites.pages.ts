import type { AdminDeps } from './admin-deps';
import type { AdminRoute } from './admin-route';

/** The websites: list, add, edit. */
export function sitePages(_deps: AdminDeps): AdminRoute[] {
  return [];
}
