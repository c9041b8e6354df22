import type { UserRow } from '../db/schema';
import { type AccessLevel, levelAtLeast, lowerLevel, type Scope, scopeLevel } from '../protocol/scopes';

/**
 * Who calls the API, and with which access: the token's user (for client credentials, the
 * client's owner), with every site's access capped by the token's scope. `matomo:superuser`
 * counts only for a user who is a super user; a super user's token with a lower scope has that
 * level on every site.
 */
export interface ApiCaller {
  login: string;
  clientId: string;
  scope: Scope;
  /** Super user through this token (the user is one, and the scope is matomo:superuser). */
  superuser: boolean;
  /** The effective level on a site, if any. */
  accessOf(idsite: number): AccessLevel | undefined;
  /** Every site where the effective level is at least `level`, ascending. */
  sitesWith(level: AccessLevel): number[];
}

export function createApiCaller(options: {
  /** Only its login and super user flag count (the Bearer check reads no more). */
  user: UserRow | Pick<UserRow, 'login' | 'superuser'>;
  clientId: string;
  scope: Scope;
  /** The user's level on each site: for a super user, `superuser` on every site. */
  siteAccess: { idsite: number; access: AccessLevel }[];
}): ApiCaller {
  const { user, clientId, scope, siteAccess } = options;
  const cap = scopeLevel[scope];
  const levels = new Map<number, AccessLevel>();
  for (const { idsite, access } of siteAccess) levels.set(idsite, lowerLevel(access, cap));
  return {
    login: user.login,
    clientId,
    scope,
    superuser: user.superuser === 1 && cap === 'superuser',
    accessOf: (idsite) => levels.get(idsite),
    sitesWith: (level) =>
      [...levels]
        .filter(([, held]) => levelAtLeast(held, level))
        .map(([idsite]) => idsite)
        .sort((a, b) => a - b),
  };
}
