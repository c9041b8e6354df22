import { type AccessLevel, levelAtLeast, type Scope, scopeLevel } from '../protocol/scopes';
import type { SiteAccess } from './user.repository';

/**
 * Whether a user holds the level a scope stands for somewhere: read needs view access to some
 * site, write needs write access, admin needs admin access, superuser needs a super user.
 */
export function userHoldsScope(
  user: { superuser: number },
  access: readonly SiteAccess[],
  scope: Scope,
): boolean {
  if (user.superuser === 1) return true;
  const needed: AccessLevel = scopeLevel[scope];
  if (needed === 'superuser') return false;
  return access.some((site) => levelAtLeast(site.access, needed));
}
