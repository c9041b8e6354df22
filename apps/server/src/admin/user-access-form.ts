import { type SiteAccessChoice, siteAccessChoices, type UserSummary } from '../accounts/user.service';
import type { SiteRow } from '../db/schema';
import { ValidationError } from '../errors/domain-error';
import type { Params } from '../http/params';

/** One website's new access level for a user. */
export interface AccessChange {
  idsite: number;
  access: SiteAccessChoice;
}

const isChoice = (value: string): value is SiteAccessChoice =>
  (siteAccessChoices as readonly string[]).includes(value);

/**
 * The access form (a select `access_<idsite>` per website): the levels that change, every value
 * checked before anything is saved, so that a form with one bad value saves nothing.
 */
export function accessChanges(form: Params, user: UserSummary, sites: readonly SiteRow[]): AccessChange[] {
  const changes: AccessChange[] = [];
  for (const { idsite } of sites) {
    const value = form.get(`access_${idsite}`);
    if (value === undefined) continue;
    if (!isChoice(value))
      throw new ValidationError('The access must be none, view, write or admin.', 'access');
    const current = user.access.find((row) => row.idsite === idsite)?.access ?? 'none';
    if (value !== current) changes.push({ idsite, access: value });
  }
  return changes;
}

/** The levels as sent, by website id, to show them again when the form is refused. */
export function sentAccess(form: Params): Map<number, string> {
  const access = new Map<number, string>();
  for (const name of form.names()) {
    const idsite = /^access_([1-9][0-9]{0,9})$/.exec(name)?.[1];
    const value = form.get(name);
    if (idsite !== undefined && value !== undefined) access.set(Number(idsite), value);
  }
  return access;
}
