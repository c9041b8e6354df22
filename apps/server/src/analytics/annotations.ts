import type { components } from '@matomo-oauth2/sdk/openapi';
import type { Selectable } from 'kysely';
import type { AnnotationTable } from '../db/analytics.schema';
import { MatomoApiError } from '../errors/matomo-api-error';
import { levelAtLeast } from '../protocol/scopes';
import { formatDay, parseDay } from './calendar';
import type { AnalyticsContext, ResultOf } from './context';
import { MAX_PERIODS, type PeriodDays, periodContaining } from './periods';
import { resolveReportScope } from './report-scope';
import { loadReportSites } from './report-sites';
import { readFlag, readNonNegativeInteger, readPositiveInteger, requireParam, shown } from './request-params';

type AnnotationRow = Selectable<AnnotationTable>;

type Annotation = components['schemas']['Annotation'];

export const MAX_NOTE_LENGTH = 255;

/**
 * `Annotations.getAll`: keyed by site id, always. Without `date`, every annotation; with `date`
 * (and `period`, default `day`), those of that period, of the periods `date` names, or of the
 * `lastN` periods ending with the (last) one. `period=range` ignores `lastN`, as in Matomo.
 */
export async function getAllAnnotations(context: AnalyticsContext): Promise<ResultOf<'Annotations.getAll'>> {
  const { db, params, sites } = context;
  const lastN = readPositiveInteger(params, 'lastN');
  const date = params.get('date');
  let days: { first: string; last: string } | undefined;
  if (date !== undefined) {
    const scope = await resolveReportScope(context, params.get('period') ?? 'day', date);
    const { period, periods } = scope.selection;
    const last = periods[periods.length - 1] as PeriodDays;
    let first = (periods[0] as PeriodDays).first;
    if (lastN !== undefined && period !== 'range') {
      if (lastN > MAX_PERIODS)
        throw new MatomoApiError(`The parameter 'lastN' must be at most ${MAX_PERIODS}.`);
      let earliest = last;
      for (let n = 1; n < lastN; n++) earliest = periodContaining(period, earliest.first - 1);
      first = Math.min(first, earliest.first);
    }
    days = { first: formatDay(first), last: formatDay(last.last) };
  } else {
    await loadReportSites(db, sites.ids);
  }
  const result: { [idSite: string]: Annotation[] } = {};
  for (const id of sites.ids) result[String(id)] = [];
  if (sites.ids.length === 0) return result;
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
  for (const row of rows) result[String(row.idsite)]?.push(describe(row, context.caller));
  return result;
}

/** `Annotations.add`: a note by the caller on a day of one site; returns it. */
export async function addAnnotation(context: AnalyticsContext): Promise<ResultOf<'Annotations.add'>> {
  const { db, params, caller } = context;
  const idSite = oneSite(context, 'Annotations.add');
  const dateText = requireParam(params, 'date');
  const day = parseDay(dateText);
  if (day === undefined) {
    throw new MatomoApiError(`The parameter 'date' must be a day, YYYY-MM-DD, got '${shown(dateText)}'.`);
  }
  const note = requireParam(params, 'note');
  if ([...note].length > MAX_NOTE_LENGTH) {
    throw new MatomoApiError(`The note is too long: at most ${MAX_NOTE_LENGTH} characters.`);
  }
  const starred = readFlag(params, 'starred') ? 1 : 0;
  await loadReportSites(db, [idSite]);
  const row = await db.transaction().execute(async (trx) => {
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

/** `Annotations.delete`: only the note's author or an administrator of the site may delete it (else 401). */
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
  if (!row)
    throw new MatomoApiError(`There is no note with id '${idNote}' for the site with id '${idSite}'.`);
  if (!canEditOrDelete(row, caller)) {
    throw new MatomoApiError(
      'You cannot modify this annotation, because you did not create it, nor do you have admin access for this site.',
      401,
    );
  }
  await db.deleteFrom('annotations').where('idsite', '=', idSite).where('idnote', '=', idNote).execute();
  return { result: 'success', message: 'ok' };
}

function describe(row: AnnotationRow, caller: AnalyticsContext['caller']): Annotation {
  return {
    idNote: row.idnote,
    date: row.date,
    note: row.note,
    starred: row.starred ? 1 : 0,
    user: row.user_login,
    canEditOrDelete: canEditOrDelete(row, caller),
  };
}

/** Its author may change a note, and so may an administrator of its site (super users administer all). */
function canEditOrDelete(row: AnnotationRow, caller: AnalyticsContext['caller']): boolean {
  const level = caller.accessOf(row.idsite);
  return row.user_login === caller.login || (level !== undefined && levelAtLeast(level, 'admin'));
}

function oneSite(context: AnalyticsContext, method: string): number {
  const [idSite] = context.sites.ids;
  if (context.sites.multiple || idSite === undefined || context.sites.ids.length !== 1) {
    throw new MatomoApiError(`${method} works on one site only: pass a single idSite.`);
  }
  return idSite;
}
