import type { BenchContext } from '../context';
import { apiRequest, send } from '../http';
import { isMatomoError, runLoad } from '../load';
import { ms, type Row, type Section, times } from '../results';

interface Report {
  method: string;
  params: Record<string, string>;
  /** The issue's target for the p50, milliseconds. */
  targetMs?: number;
  /** A summary: its `nb_visits` must be above zero, else the request measured nothing. */
  summary?: boolean;
}

/** A day of last month: \`period=month\` on it is a whole month of data (this month may have begun today). */
function lastMonth(now = new Date()): string {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15));
  return day.toISOString().slice(0, 10);
}

const reports: Report[] = [
  { method: 'VisitsSummary.get', params: { period: 'day', date: 'last30' }, targetMs: 50, summary: true },
  { method: 'VisitsSummary.get', params: { period: 'month', date: 'last6' }, summary: true },
  { method: 'UserCountry.getCountry', params: { period: 'month', date: lastMonth() }, targetMs: 50 },
  { method: 'UserCountry.getCountry', params: { period: 'year', date: 'today' } },
  { method: 'Actions.getPageUrls', params: { period: 'year', date: 'today', flat: '1' }, targetMs: 500 },
  { method: 'VisitsSummary.get', params: { period: 'range', date: 'last180' }, targetMs: 300, summary: true },
  {
    method: 'VisitsSummary.get',
    params: { period: 'month', date: lastMonth(), segment: 'browserCode==CH' },
    summary: true,
  },
];

const describe = (report: Report) =>
  `${report.method} ${Object.entries(report.params)
    .map(([name, value]) => `${name}=${value}`)
    .join('&')}`;

/** The visits a summary answer counts: one period, or each of several (`last30`). */
function visitsIn(body: string): number {
  const parsed = JSON.parse(body) as unknown;
  const periods = Array.isArray(parsed)
    ? []
    : typeof parsed === 'object' && parsed !== null && 'nb_visits' in parsed
      ? [parsed]
      : Object.values(parsed as Record<string, unknown>);
  return periods.reduce<number>(
    (sum, period) => sum + Number((period as { nb_visits?: unknown } | null)?.nb_visits ?? 0),
    0,
  );
}

/**
 * The reports of the issue on site 1 of the demo (about a million visits with the full run),
 * 4 connections each for a fixed time, through the Matomo API with a Bearer token: p50 and p99
 * beside the issue's targets. Every answer must be data, not a Matomo error (HTTP 200 too).
 */
export async function reportLatencies(
  context: BenchContext,
  { url, token, database }: { url: string; token: string; database: string },
): Promise<Section> {
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const report of reports) {
    const request = apiRequest(token, { method: report.method, idSite: '1', ...report.params });
    const probe = await send(url, request);
    if (probe.status !== 200 || isMatomoError(probe.body))
      throw new Error(`${describe(report)} answered ${probe.status} ${probe.body.slice(0, 300)}`);
    if (report.summary) {
      const visits = visitsIn(probe.body);
      if (!(visits > 0)) throw new Error(`${describe(report)} counts no visits: ${probe.body.slice(0, 300)}`);
      if (report.params.period === 'range')
        notes.push(`Site 1: ${visits.toLocaleString('en-US')} visits in the last 180 days.`);
    }
    context.log(`${database}: ${describe(report)}, 4 connections…`);
    const load = await runLoad({
      url,
      connections: 4,
      seconds: context.seconds(10, 1),
      timeoutSeconds: 120,
      requests: [request],
      verifyBody: (body) => !isMatomoError(body),
    });
    rows.push({
      name: describe(report),
      figure: `p50 ${ms(load.p50)}, p99 ${ms(load.p99)} (${load.responses} requests)`,
      ...(report.targetMs === undefined
        ? {}
        : {
            reference: `target p50 ${ms(report.targetMs)}`,
            ratio: times(load.p50 / report.targetMs),
            target: `p50 < ${ms(report.targetMs)}`,
            met: load.p50 < report.targetMs,
          }),
    });
  }
  notes.push(
    'Ratio: p50 ÷ the target (no reference in the run is a report computed another way). Segmented requests may fall back to raw logs.',
  );
  return { title: `Reports on ${database} (site 1, 4 connections)`, rows, notes };
}
