import type { components } from '@matomo-oauth2/sdk/openapi';
import type { Selectable } from 'kysely';
import type { AnnotationTable } from '../db/analytics.schema';
import { serializable } from '../db/serializable';
import { MatomoApiError } from '../errors/matomo-api-error';
import { levelAtLeast } from '../protocol/scopes';
import { formatDay, parseDay } from './calendar';
import type { AnalyticsContext, ResultOf } from './context';
import { MAX_LAST_N, type PeriodDays, periodContaining } from './periods';
import { resolveReportScope } from './report-scope';
import { loadReportSites } from './report-sites';
import { readFlag, readNonNegativeInteger, requireParam } from './request-params';
import { localDayOf } from './timezone';

type AnnotationRow = Selectable<AnnotationTable>;

type Annotation = components['schemas']['Annotation'];

export const MAX_NOTE_LENGTH = 255;

/**
 * A note as Matomo keeps it (Annotations API `filterNote`): longer than 255 characters, it is
 * cut to its first 254 and ends with `…`. Characters are code points, as `mb_strlen` counts.
 */
export function cutNote(note: string): string {
  const characters = [...note];
  if (characters.length <= MAX_NOTE_LENGTH) return note;
  return `${characters.slice(0, MAX_NOTE_LENGTH - 1).join('')}…`;
}

/** Matomo's `Date::factory` message for a date it cannot read. */
function badDate(text: string): MatomoApiError {
  return new MatomoApiError(
    `Date format must be: YYYY-MM-DD, or 'today' or 'yesterday' or any keyword supported by the strtotime function (see http://php.net/strtotime for more information): '${text.slice(0, 60)}'`,
  );
}

/** A day as Matomo's `Date::factory` reads it for a note: `YYYY-MM-DD`, `today`, `yesterday` (UTC). */
function noteDay(text: string, now: number): number {
  const today = localDayOf(now, 'UTC');
  if (text === 'today' || text === 'now') return today;
  if (text === 'yesterday') return today - 1;
  const day = parseDay(text.replace(/^(\d{4})-(\d)(?=-)/, '$1-0$2').replace(/-(\d)$/, '-0$1'));
  if (day === undefined) throw badDate(text);
  return day;
}

/**
 * The days `Annotations.getAll` covers, as Matomo's `Annotations::getDateRangeForPeriod` picks
 * them: `period=range` its days (`lastN` ignored); a multiple date (`A,B`, `lastN`, `previousN`)
 * with another period from its first to its last day; one period, or with `lastN` (capped per
 * period as Matomo caps it) the N periods ending with it.
 */
async function coveredDays(
  context: AnalyticsContext,
  date: string,
  lastN: number | undefined,
): Promise<{ first: string; last: string }> {
  const period = context.params.get('period') ?? 'day';
  const multiple = period !== 'range' && (date.includes(',') || /^(last|previous)\d*$/.test(date));
  // A multiple date covers its own days, not whole periods: read it as a range.
  const scope = await resolveReportScope(context, multiple ? 'range' : period, date);
  const { periods } = scope.selection;
  const last = periods[periods.length - 1] as PeriodDays;
  let first = (periods[0] as PeriodDays).first;
  const name = scope.selection.period;
  if (lastN !== undefined && !multiple && name !== 'range') {
    let earliest = last;
    for (let n = 1; n < Math.min(lastN, MAX_LAST_N[name]); n++)
      earliest = periodContaining(name, earliest.first - 1);
    first = Math.min(first, earliest.first);
  }
  return { first: formatDay(first), last: formatDay(last.last) };
}

/**
 * `Annotations.getAll`: keyed by site id, only the sites that have notes in the days asked
 * (Matomo's `AnnotationList::search`), so `[]` when none has any. Without `date`, every note
 * (`period` alone is ignored). `lastN=0` means no `lastN`, as in Matomo.
 */
export async function getAllAnnotations(context: AnalyticsContext): Promise<ResultOf<'Annotations.getAll'>> {
  const { db, params, sites } = context;
  const lastN = readNonNegativeInteger(params, 'lastN') || undefined;
  const date = params.get('date');
  let days: { first: string; last: string } | undefined;
  if (date !== undefined) days = await coveredDays(context, date, lastN);
  else await loadReportSites(db, sites.ids);
  if (sites.ids.length === 0) return [];
  const rows = await db
    .selectFrom('annotations')
    .selectAll()
    .where('idsite', 'in', sites.ids)
    .$if(days !== undefined, (qb) =>
      qb.where('date', '>=', days?.first ?? '').where('date', '<=', days?.last ?? ''),
    )
    .orderBy('idsite')
    .orderBy('date')
    .orderBy('idnote')
    .execute();
  if (rows.length === 0) return [];
  const result: { [idSite: string]: Annotation[] } = {};
  for (const row of rows) {
    const key = String(row.idsite);
    const notes = result[key] ?? [];
    if (notes.length === 0) result[key] = notes;
    notes.push(describe(row, context.caller));
  }
  return result;
}

/**
 * `Annotations.add`: a note by the caller on a day of one site; returns it. A note longer than
 * 255 characters is cut as Matomo cuts it, not refused.
 */
export async function addAnnotation(context: AnalyticsContext): Promise<ResultOf<'Annotations.add'>> {
  const { db, params, caller } = context;
  const idSite = oneSite(context, 'Annotations.add');
  // Matomo checks that every required parameter is there before it reads any of them.
  const dateText = requireParam(params, 'date');
  const note = cutNote(requireParam(params, 'note'));
  const day = noteDay(dateText, context.now());
  const starred = readFlag(params, 'starred') ? 1 : 0;
  await loadReportSites(db, [idSite]);
  // The next id of the site's notes: two notes added at once must not get the same.
  const row = await serializable(db, async (trx) => {
    const last = await trx
      .selectFrom('annotations')
      .select((eb) => eb.fn.max('idnote').as('max'))
      .where('idsite', '=', idSite)
      .executeTakeFirst();
    const values: AnnotationRow = {
      idsite: idSite,
      idnote: last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1,
      date: formatDay(day),
      note,
      starred,
      user_login: caller.login,
      created_at: context.now(),
    };
    await trx.insertInto('annotations').values(values).execute();
    return values;
  });
  return describe(row, caller);
}

/**
 * `Annotations.delete`: only as `canEditOrDelete` says. A refusal is a plain Matomo error (status
 * 200), as Matomo throws it: not a NoAccessException.
 */
export async function deleteAnnotation(context: AnalyticsContext): Promise<ResultOf<'Annotations.delete'>> {
  const { db, params, caller } = context;
  const idSite = oneSite(context, 'Annotations.delete');
  const idNote = readNonNegativeInteger(params, 'idNote');
  if (idNote === undefined) throw new MatomoApiError("Please specify a value for 'idNote'.");
  const row = await db
    .selectFrom('annotations')
    .selectAll()
    .where('idsite', '=', idSite)
    .where('idnote', '=', idNote)
    .executeTakeFirst();
  if (!row) throw new MatomoApiError(`There is no note with id '${idNote}' for site with id '${idSite}'.`);
  if (!canEditOrDelete(row, caller)) {
    throw new MatomoApiError(
      'You cannot modify this annotation, because you did not create it, nor do you have admin access for this site.',
    );
  }
  await db.deleteFrom('annotations').where('idsite', '=', idSite).where('idnote', '=', idNote).execute();
  return { result: 'success', message: 'ok' };
}

/** A note as Matomo shows it, its fields in Matomo's order. */
function describe(row: AnnotationRow, caller: AnalyticsContext['caller']): Annotation {
  return {
    date: row.date,
    note: row.note,
    starred: row.starred ? 1 : 0,
    user: row.user_login,
    idNote: row.idnote,
    canEditOrDelete: canEditOrDelete(row, caller),
  };
}

/**
 * Matomo's `AnnotationList::canUserModifyOrDelete`: its author may change a note, and so may
 * anyone with write access to its site (admins and super users included). The access is the
 * token's, so a read token shows `true` only on the caller's own notes.
 */
function canEditOrDelete(row: AnnotationRow, caller: AnalyticsContext['caller']): boolean {
  const level = caller.accessOf(row.idsite);
  return row.user_login === caller.login || (level !== undefined && levelAtLeast(level, 'write'));
}

function oneSite(context: AnalyticsContext, method: string): number {
  const [idSite] = context.sites.ids;
  if (context.sites.multiple || idSite === undefined || context.sites.ids.length !== 1) {
    throw new MatomoApiError(`${method} works on one site only: pass a single idSite.`);
  }
  return idSite;
}
