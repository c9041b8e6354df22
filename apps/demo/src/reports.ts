import type { Point } from './chart';
import { matomo } from './session';

/** What the picker offers: Matomo's period and date for each choice. */
export const periods = [
  { id: 'last7', label: 'Last 7 days', period: 'range', date: 'last7' },
  { id: 'last30', label: 'Last 30 days', period: 'range', date: 'last30' },
  { id: 'yesterday', label: 'Yesterday', period: 'day', date: 'yesterday' },
  { id: 'month', label: 'This month', period: 'month', date: 'today' },
] as const;

/** Device type segments (Matomo's `deviceType` dimension). */
export const segments = [
  { id: '', label: 'All devices' },
  { id: 'deviceType==desktop', label: 'Desktop' },
  { id: 'deviceType==smartphone', label: 'Smartphone' },
  { id: 'deviceType==tablet', label: 'Tablet' },
] as const;

export type PeriodChoice = (typeof periods)[number];

export interface Selection {
  idSite: number;
  period: PeriodChoice;
  segment: string;
}

export interface Row {
  label: string;
  visits: number;
}

export async function loadSites(): Promise<{ idsite: number; name: string }[]> {
  const sites = await matomo.call('SitesManager.getSitesWithAtLeastViewAccess');
  return sites.map(({ idsite, name }) => ({ idsite: Number(idsite), name: String(name) }));
}

/** Visits per day over the last 30 days, oldest first. */
export async function loadVisits({ idSite, segment }: Selection): Promise<Point[]> {
  const byDay = await matomo.call('VisitsSummary.get', {
    idSite,
    period: 'day',
    date: 'last30',
    columns: 'nb_visits',
    ...(segment ? { segment } : {}),
  });
  return Object.entries(byDay)
    .map(([date, value]) => ({ date, value: typeof value === 'number' ? value : 0 }))
    .sort((a, b) => a.date.localeCompare(b.date));
}

export async function loadTopPages({ idSite, period, segment }: Selection): Promise<Row[]> {
  const rows = await matomo.call('Actions.getPageUrls', {
    idSite,
    period: period.period,
    date: period.date,
    flat: 1,
    filter_limit: 10,
    ...(segment ? { segment } : {}),
  });
  // Every choice of `periods` is one period of one site: rows, never a result keyed by period or site.
  if (!Array.isArray(rows)) return [];
  return rows.map((row) => ({ label: row.label, visits: row.nb_visits }));
}

export async function loadReferrers({ idSite, period, segment }: Selection): Promise<Row[]> {
  const rows = await matomo.call('Referrers.getReferrerType', {
    idSite,
    period: period.period,
    date: period.date,
    filter_limit: 10,
    ...(segment ? { segment } : {}),
  });
  // Every choice of `periods` is one period of one site: rows, never a result keyed by period or site.
  if (!Array.isArray(rows)) return [];
  return rows.map((row) => ({ label: row.label, visits: row.nb_visits }));
}
