// Goals over HTTP: the demo's goals, a conversion, Matomo's formats and errors.
import { createTestClock } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_GOALS } from '../src/analytics/demo-data/demo-goals';
import { actionKey, ensureActions } from '../src/analytics/log-action.repository';
import { VisitLogWriter } from '../src/analytics/visit-log.writer';
import { callApi, seedApiFixture, tokenFor } from './api-fixture';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
let viewer: string;

/** One visit of a new visitor on the demo's first site (UTC), Tue 24 Nov 10:00–10:01, converting "Contact us". */
async function recordContactVisit(): Promise<void> {
  const { db } = server;
  const ids = await ensureActions(db, [
    { type: 'page', name: '/' },
    { type: 'page', name: '/contact' },
  ]);
  const home = ids.get(actionKey('page', '/')) ?? 0;
  const contact = ids.get(actionKey('page', '/contact')) ?? 0;
  const start = Date.parse('2026-11-24T10:00:00Z');
  const writer = new VisitLogWriter();
  await writer.write(
    db,
    {
      idvisit: 1,
      idsite: 1,
      visitor_id: 'aaaaaaaaaaaaaaaa',
      visit_first_action_time: start,
      visit_last_action_time: start + 60_000,
      visit_total_actions: 2,
      visit_total_time: 60,
      visitor_returning: 0,
      visitor_count_visits: 1,
      referrer_type: 'direct',
      referrer_name: null,
      referrer_keyword: null,
      referrer_url: null,
      location_country: 'de',
      device_type: 'Desktop',
      browser_name: 'Firefox',
      os_name: 'GNU/Linux',
      location_ip: '198.51.100.0',
      entry_idaction_url: home,
      exit_idaction_url: contact,
      config_resolution: 'unknown',
      location_browser_lang: 'de',
      location_city: null,
      location_region: null,
      visitor_localtime: null,
    },
    [
      { server_time: start, action_type: 'action', idaction_url: home, time_spent: 60 },
      { server_time: start + 60_000, action_type: 'action', idaction_url: contact, time_spent: 0 },
    ],
    [{ idgoal: 2, buster: 0, server_time: start + 60_000, idaction_url: contact, revenue: 30 }],
  );
  await writer.flush(db);
}

beforeAll(async () => {
  server = await startTestServer({}, { clock: createTestClock(Date.parse('2026-11-25T12:00:00Z')) });
  await seedApiFixture(server);
  viewer = await tokenFor(server, 'viewer', 'matomo:read');
  await recordContactVisit();
});
afterAll(() => server.stop());

const day = { idSite: '1', period: 'day', date: '2026-11-24' };

describe('Goals.getGoals over HTTP', () => {
  test('the demo sites have the demo goals, keyed by idgoal', async () => {
    const { status, body } = await callApi(server, 'Goals.getGoals', { idSite: '1' }, { token: viewer });
    expect(status).toBe(200);
    const goals = body as Record<string, { name: string; match_attribute: string }>;
    expect(Object.keys(goals)).toEqual(['1', '2', '3']);
    expect(Object.values(goals).map((goal) => goal.name)).toEqual(DEMO_GOALS.map((goal) => goal.name));
    expect(goals['3']?.match_attribute).toBe('file');
  });

  test('in XML, rows keyed as Matomo writes an array (test_OneVisitorTwoVisits__Goals.getGoals.xml)', async () => {
    const { text } = await callApi(
      server,
      'Goals.getGoals',
      { idSite: '1', format: 'xml' },
      { token: viewer },
    );
    expect(text).toContain('<row key="2">');
    expect(text).toContain('<match_attribute>url</match_attribute>');
  });
});

describe('Goals.get over HTTP', () => {
  const expected = {
    nb_conversions: 1,
    nb_visits_converted: 1,
    revenue: 30,
    conversion_rate: '100%',
    nb_conversions_new_visit: 1,
    nb_visits_converted_new_visit: 1,
    revenue_new_visit: 30,
    conversion_rate_new_visit: '100%',
    nb_conversions_returning_visit: 0,
    nb_visits_converted_returning_visit: 0,
    revenue_returning_visit: 0,
    conversion_rate_returning_visit: '0%',
  };

  test('JSON, and raw rates with format_metrics=0', async () => {
    expect((await callApi(server, 'Goals.get', day, { token: viewer })).body).toEqual(expected);
    expect(
      (await callApi(server, 'Goals.get', { ...day, format_metrics: '0' }, { token: viewer })).body,
    ).toMatchObject({ conversion_rate: 1, conversion_rate_returning_visit: 0 });
  });

  test('XML and CSV', async () => {
    const xml = (await callApi(server, 'Goals.get', { ...day, format: 'xml' }, { token: viewer })).text;
    expect(xml).toContain('<conversion_rate>100%</conversion_rate>');
    expect(xml).toContain('<revenue_new_visit>30</revenue_new_visit>');
    // Matomo's CSV is UTF-16LE with a byte order mark.
    const response = await fetch(`${server.url}/api/Goals.get`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${viewer}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...day, format: 'csv' }),
    });
    const csv = Buffer.from(await response.arrayBuffer())
      .subarray(2)
      .toString('utf16le');
    expect(csv.split('\n')).toEqual([Object.keys(expected).join(','), Object.values(expected).join(',')]);
  });

  test('VisitsSummary.get counts the converted visit', async () => {
    expect((await callApi(server, 'VisitsSummary.get', day, { token: viewer })).body).toMatchObject({
      nb_visits: 1,
      nb_visits_converted: 1,
    });
  });

  test('errors as Matomo: a bad segment, a site the caller cannot view', async () => {
    const segment = await callApi(server, 'Goals.get', { ...day, segment: 'nope==1' }, { token: viewer });
    expect(segment.status).toBe(200);
    expect(segment.body).toEqual({ result: 'error', message: "Segment 'nope' is not a supported segment." });
    const other = await callApi(server, 'Goals.get', { ...day, idSite: '2' }, { token: viewer });
    expect(other.body).toMatchObject({ result: 'error' });
    const goals = await callApi(server, 'Goals.getGoals', { idSite: '2' }, { token: viewer });
    expect(goals.body).toMatchObject({ result: 'error' });
  });
});
