import type { AdminDeps } from './admin-deps';
import type { AdminRoute } from './admin-route';

/** The client list, create and edit forms, pause/resume, rotate secret, delete. */
export function clientPages(_deps: AdminDeps): AdminRoute[] {
  return [];
}
