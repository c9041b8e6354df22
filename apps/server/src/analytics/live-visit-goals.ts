import type { components } from '@matomo-oauth2/sdk/openapi';
import type { Selectable } from 'kysely';
import type { LogVisitTable } from '../db/analytics.schema';
import type { AnalyticsContext } from './context';
import { currencySymbol } from './currency-symbols';
import { prettyNumber } from './pretty-metrics';

type LogVisitRow = Selectable<LogVisitTable>;
type VisitAction = components['schemas']['VisitAction'];

/** A conversion as the visit's `actionDetails` list it, with what Matomo sorts it by. */
export interface ConversionEntry {
  action: VisitAction;
  /** Milliseconds. */
  time: number;
  /** The `idlink_va` of the page view that converted; undefined for a manual conversion. */
  idlinkVa: number | undefined;
}

/**
 * Goals' `VisitorDetails` (plugins/Goals/VisitorDetails.php): each visit's goal conversions in
 * time order, as `goal` entries of its actions, the goal's name (null once deleted), revenue and
 * converting URL, the visit's referrer, and the icon, title and subtitle Actions' `VisitorDetails`
 * gives them ("name ($5 revenue)" when there is revenue, in the site's currency). A manual
 * conversion's URL is the page viewed at that time, where the tracker sent it from.
 */
export async function loadConversions(
  context: AnalyticsContext,
  visits: readonly LogVisitRow[],
  mainUrls: ReadonlyMap<number, string>,
  currencies: ReadonlyMap<number, string>,
): Promise<Map<number, ConversionEntry[]>> {
  const byVisit = new Map<number, ConversionEntry[]>();
  const visitById = new Map(visits.map((visit) => [visit.idvisit, visit]));
  const ids = visits.map((visit) => visit.idvisit);
  for (let start = 0; start < ids.length; start += 5000) {
    const rows = await context.db
      .selectFrom('log_conversion as c')
      .leftJoin('goals as g', (join) =>
        join.onRef('g.idsite', '=', 'c.idsite').onRef('g.idgoal', '=', 'c.idgoal').on('g.deleted', '=', 0),
      )
      .leftJoin('log_action as u', 'u.idaction', 'c.idaction_url')
      .select([
        'c.idvisit',
        'c.idsite',
        'c.idgoal',
        'c.server_time',
        'c.revenue',
        'c.idaction_url',
        'g.name',
        'u.name as path',
      ])
      .where('c.idvisit', 'in', ids.slice(start, start + 5000))
      .where('c.idgoal', '>', 0)
      .orderBy('c.idvisit')
      .orderBy('c.server_time')
      .orderBy('c.idgoal')
      .orderBy('c.buster')
      .execute();
    const pages = await pageViewsOf(context, [...new Set(rows.map((row) => row.idvisit))]);
    for (const row of rows) {
      const visit = visitById.get(row.idvisit);
      if (!visit) continue;
      const time = Number(row.server_time);
      const views = pages.get(row.idvisit) ?? [];
      const converting = views.find((view) => view.idaction === row.idaction_url && view.time === time);
      const shown =
        row.path ?? [...views].reverse().find((view) => view.time <= time)?.path ?? views[0]?.path;
      const revenue = Number(row.revenue);
      const name = row.name ?? null;
      const money = prettyMoney(revenue, currencies.get(row.idsite) ?? 'USD');
      const action: VisitAction = {
        type: 'goal',
        goalName: name,
        goalId: row.idgoal,
        revenue,
        url: shown === undefined ? '' : `${mainUrls.get(row.idsite) ?? ''}${shown}`,
        referrerType: visit.referrer_type,
        referrerName: visit.referrer_name ?? '',
        referrerKeyword: visit.referrer_keyword ?? '',
        icon: 'plugins/Morpheus/images/goal.png',
        iconSVG: 'plugins/Morpheus/images/goal.svg',
        title: 'Goal conversion',
        subtitle: `${name ?? ''}${revenue === 0 ? '' : ` (${money} revenue)`}`,
        timestamp: Math.floor(time / 1000),
      };
      const entry = { action, time, idlinkVa: converting?.idlinkVa };
      const list = byVisit.get(row.idvisit);
      if (list) list.push(entry);
      else byVisit.set(row.idvisit, [entry]);
    }
  }
  return byVisit;
}

interface PageView {
  idlinkVa: number;
  idaction: number;
  time: number;
  path: string;
}

/** The page views of the visits, in time order. */
async function pageViewsOf(
  context: AnalyticsContext,
  ids: readonly number[],
): Promise<Map<number, PageView[]>> {
  const byVisit = new Map<number, PageView[]>();
  if (ids.length === 0) return byVisit;
  const rows = await context.db
    .selectFrom('log_link_visit_action as a')
    .innerJoin('log_action as u', 'u.idaction', 'a.idaction_url')
    .select(['a.idvisit', 'a.idlink_va', 'a.idaction_url', 'a.server_time', 'u.name'])
    .where('a.idvisit', 'in', [...ids])
    .where('a.action_type', '=', 'action')
    .orderBy('a.idvisit')
    .orderBy('a.server_time')
    .orderBy('a.idlink_va')
    .execute();
  for (const row of rows) {
    const view = {
      idlinkVa: row.idlink_va,
      idaction: row.idaction_url,
      time: Number(row.server_time),
      path: row.name,
    };
    const list = byVisit.get(row.idvisit);
    if (list) list.push(view);
    else byVisit.set(row.idvisit, [view]);
  }
  return byVisit;
}

/**
 * `Formatter::getPrettyMoney` in English (`NumberFormatter::formatCurrency`, pattern `¤#,##0.00`):
 * a whole amount without decimals, any other with two.
 */
export function prettyMoney(value: number, currency: string): string {
  const whole = value === Math.round(value);
  const sign = value < 0 ? '-' : '';
  return `${sign}${currencySymbol(currency)}${prettyNumber(Math.abs(value), whole ? 0 : 2, whole ? 0 : 2)}`;
}
