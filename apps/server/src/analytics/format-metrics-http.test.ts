// format_metrics over HTTP, on the demo (site 1 in EUR, site 3 in USD): raw rates on the Actions
// reports with 0, money with `all` (Matomo's Formatter::formatMetrics with $formatAll, its
// getProcessedReport expected outputs: "$0", "$5", "$1,000", "$42.26").

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { callApi, seedApiFixture, tokenFor } from '../../test/api-fixture';
import { startTestServer, type TestServer } from '../../test/test-server';

let server: TestServer;
let token: string;
beforeAll(async () => {
  server = await startTestServer({ demoVisitsPerDay: 40 });
  await seedApiFixture(server);
  token = await tokenFor(server, 'superuser', 'matomo:read');
});
afterAll(() => server.stop());

type Row = Record<string, unknown>;

async function get(method: string, params: Record<string, string>): Promise<unknown> {
  const result = await callApi(server, method, params, { token });
  expect(result.status).toBe(200);
  return result.body;
}

/** Matomo's English money, written independently with Intl: no decimals when whole, else two. */
function money(symbol: string, amount: number): string {
  const digits = Number.isInteger(amount)
    ? amount.toLocaleString('en-US')
    : amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${symbol}${digits}`;
}

describe('format_metrics=0 on the Actions reports', () => {
  test.each([
    'Actions.getPageUrls',
    'Actions.getPageTitles',
    'Actions.getEntryPageUrls',
    'Actions.getExitPageUrls',
  ])('%s: bounce_rate and exit_rate are quotients to two decimals', async (method) => {
    const params = { idSite: '1', period: 'range', date: 'last30', flat: '1' };
    const raw = (await get(method, { ...params, format_metrics: '0' })) as Row[];
    const percents = (await get(method, params)) as Row[];
    expect(raw.length).toBeGreaterThan(0);
    raw.forEach((row, index) => {
      const quotient = (n: unknown, d: unknown) =>
        Number(d) === 0 ? 0 : Math.round((Number(n) * 100) / Number(d)) / 100;
      expect(row.bounce_rate).toBe(quotient(row.entry_bounce_count, row.entry_nb_visits));
      expect(row.exit_rate).toBe(quotient(row.exit_nb_visits, row.nb_visits));
      expect(percents[index]?.bounce_rate).toBe(
        `${Math.round(quotient(row.entry_bounce_count, row.entry_nb_visits) * 100)}%`,
      );
      expect(percents[index]?.exit_rate).toBe(
        `${Math.round(quotient(row.exit_nb_visits, row.nb_visits) * 100)}%`,
      );
    });
  });

  test('the Others row of filter_truncate is raw too', async () => {
    const rows = (await get('Actions.getPageTitles', {
      idSite: '1',
      period: 'month',
      date: 'today',
      filter_truncate: '1',
      format_metrics: '0',
    })) as Row[];
    const others = rows.find((row) => row.label === 'Others');
    expect(typeof others?.bounce_rate).toBe('number');
    expect(typeof others?.exit_rate).toBe('number');
  });
});

describe('format_metrics=all writes revenues as money in the site currency', () => {
  test('Goals.get: every revenue column; format_metrics=1 leaves them numbers', async () => {
    const params = { idSite: '1', period: 'range', date: 'last30' };
    const raw = (await get('Goals.get', { ...params, format_metrics: '0' })) as Row;
    const all = (await get('Goals.get', { ...params, format_metrics: 'all' })) as Row;
    const one = (await get('Goals.get', { ...params, format_metrics: '1' })) as Row;
    expect(raw.revenue).toBeGreaterThan(0);
    for (const column of ['revenue', 'revenue_new_visit', 'revenue_returning_visit'])
      expect(all[column]).toBe(money('€', raw[column] as number));
    expect(all.nb_conversions).toBe(raw.nb_conversions);
    expect(one.revenue).toBe(raw.revenue);
  });

  test('several sites: each in its own currency', async () => {
    const params = { idSite: '1,3', period: 'range', date: 'last30' };
    const raw = (await get('Goals.get', { ...params, format_metrics: '0' })) as Record<string, Row>;
    const all = (await get('Goals.get', { ...params, format_metrics: 'all' })) as Record<string, Row>;
    expect(all['1']?.revenue).toBe(money('€', raw['1']?.revenue as number));
    expect(all['3']?.revenue).toBe(money('$', raw['3']?.revenue as number));
  });

  test("report rows: the row's revenue, not the nested per-goal ones", async () => {
    const params = { idSite: '3', period: 'range', date: 'last30' };
    const raw = (await get('UserCountry.getCountry', { ...params, format_metrics: '0' })) as Row[];
    const all = (await get('UserCountry.getCountry', { ...params, format_metrics: 'all' })) as Row[];
    const converted = raw.findIndex((row) => typeof row.revenue === 'number' && row.revenue > 0);
    expect(converted).toBeGreaterThanOrEqual(0);
    expect(all[converted]?.revenue).toBe(money('$', raw[converted]?.revenue as number));
    expect(all[converted]?.goals).toEqual(raw[converted]?.goals);
  });

  test('MultiSites.getOne: revenue as money', async () => {
    const params = { idSite: '3', period: 'range', date: 'last30' };
    const raw = (await get('MultiSites.getOne', { ...params, format_metrics: '0' })) as Row;
    const all = (await get('MultiSites.getOne', { ...params, format_metrics: 'all' })) as Row;
    expect(all.revenue).toBe(money('$', raw.revenue as number));
  });
});
