import { BearerError } from '../errors/bearer-error';
import { MatomoApiError } from '../errors/matomo-api-error';
import type { Params } from '../http/params';
import { type AccessLevel, levelAtLeast, levelScope, scopeLevel } from '../protocol/scopes';
import type { ApiCaller } from '../users/api-caller';
import { readIdSites } from './list-param';

/** The request's sites, access-checked: ascending ids, and whether a list or `all` was named. */
export interface CheckedSites {
  ids: number[];
  multiple: boolean;
}

/** A token whose scope is below the method's level: 403 `insufficient_scope` (RFC 6750 §3.1). */
export function checkScope(caller: ApiCaller, needed: AccessLevel): void {
  if (levelAtLeast(scopeLevel[caller.scope], needed)) return;
  throw new BearerError(
    403,
    `The access token's scope (${caller.scope}) does not allow this method, which needs ${levelScope[needed]}.`,
    'insufficient_scope',
    levelScope[needed],
  );
}

/** Matomo's NoAccessException: 401, as Matomo answers it. */
export function noAccess(needed: AccessLevel, idsite?: number): MatomoApiError {
  const where =
    idsite === undefined
      ? needed === 'superuser'
        ? ''
        : ' for at least one website'
      : ` for the website id = ${idsite}`;
  return new MatomoApiError(`You can't access this resource as it requires '${needed}' access${where}.`, 401);
}

export function checkSuperuser(caller: ApiCaller): void {
  if (!caller.superuser) throw noAccess('superuser');
}

/** Matomo needs some view access for methods that name no site. */
export function checkSomeAccess(caller: ApiCaller, needed: AccessLevel): void {
  if (caller.sitesWith(needed).length === 0) throw noAccess(needed);
}

/**
 * Reads `idSite` (see `readIdSites`) and checks the caller's access to every site named. `all`
 * means the sites where the caller has the level. Unknown and forbidden sites get the same
 * answer, so that site ids cannot be probed. Results are keyed by site for `all` and for more
 * than one site, as Matomo's `ArchiveQueryFactory` decides (`1,1` is one site).
 */
export function checkSites(
  caller: ApiCaller,
  params: Params,
  needed: AccessLevel,
  { single = false } = {},
): CheckedSites {
  const named = readIdSites(params);
  if (named === 'all') {
    if (single) throw new MatomoApiError('This method accepts one website id in idSite, not "all".');
    return { ids: caller.sitesWith(needed), multiple: true };
  }
  // Nothing left to read: Matomo's Access::getIdSites answers with a NoAccessException.
  if (named.length === 0)
    throw new MatomoApiError("The parameter 'idSite=' is missing from the request.", 401);
  if (single && named.length > 1) throw new MatomoApiError('This method accepts one website id in idSite.');
  for (const idsite of named) {
    const held = caller.accessOf(idsite);
    if (!held || !levelAtLeast(held, needed)) throw noAccess(needed, idsite);
  }
  return { ids: named, multiple: named.length > 1 };
}
