import type { AdminDeps } from './admin-deps';
import type { AdminRoute } from './admin-route';

/** The users: list, create, access per site, super user, reset password, delete. */
export function userPages(_deps: AdminDeps): AdminRoute[] {
  return [];
}
