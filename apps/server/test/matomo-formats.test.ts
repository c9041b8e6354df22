// The API's formats over HTTP: json, xml, csv and tsv as Matomo renders them (content types,
// Content-Disposition, layouts of single values, tables, maps by period and by site), and
// errors in each format. The layouts themselves are pinned against Matomo's expected outputs
// in src/matomo/formats/*.test.ts; here the route picks them, for every kind of result.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedApiFixture, tokenFor } from './api-fixture';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
let viewer: string;
let root: string;
beforeAll(async () => {
  server = await startTestServer({ demoVisitsPerDay: 20 });
  await seedApiFixture(server);
  viewer = await tokenFor(server, 'viewer', 'matomo:read');
  root = await tokenFor(server, 'superuser', 'matomo:superuser');
});
afterAll(() => server.stop());

interface Answer {
  status: number;
  headers: Headers;
  bytes: Buffer;
  text: string;
}

async function call(
  method: string,
  params: Record<string, string>,
  { token = viewer, verb = 'GET' }: { token?: string | null; verb?: 'GET' | 'POST' } = {},
): Promise<Answer> {
  const search = new URLSearchParams(params);
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  const response =
    verb === 'GET'
      ? await fetch(`${server.url}/api/${method}?${search}`, { headers })
      : await fetch(`${server.url}/api/${method}`, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: search.toString(),
        });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, bytes, text: bytes.toString('utf8') };
}

const json = async (method: string, params: Record<string, string>) =>
  JSON.parse((await call(method, { ...params, format: 'json' }, { token: root })).text) as unknown;
const lines = (...text: string[]) => text.join('\n');
const declaration = '<?xml version="1.0" encoding="utf-8" ?>';

type Goals = Record<string, Record<string, unknown>>;

/** Matomo's XML of a row's goals: `<row idgoal='N'>` per goal (core/DataTable/Renderer/Xml.php). */
function goalLines(goals: Goals): string[] {
  return [
    '\t\t<goals>',
    ...Object.entries(goals).flatMap(([key, metrics]) => [
      `\t\t\t<row ${key.replace('=', "='")}'>`,
      ...Object.entries(metrics).map(([name, value]) => `\t\t\t\t<${name}>${value}</${name}>`),
      '\t\t\t</row>',
    ]),
    '\t\t</goals>',
  ];
}

/** A row with its goals flattened as Matomo's CSV writes them (`goals_idgoal=1_nb_conversions`). */
function flatGoals(row: Record<string, unknown>): Record<string, unknown> {
  const { goals, ...rest } = row;
  const flat: Record<string, unknown> = { ...rest };
  for (const [key, metrics] of Object.entries((goals ?? {}) as Goals)) {
    for (const [name, value] of Object.entries(metrics)) flat[`goals_${key}_${name}`] = value;
  }
  return flat;
}
const excel = 'application/vnd.ms-excel';

describe('a single value (API.getMatomoVersion)', () => {
  test('json', async () => {
    const answer = await call('API.getMatomoVersion', { format: 'json' });
    expect(answer.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(JSON.parse(answer.text)).toEqual({ value: '5.4.0' });
  });

  test('xml: text/xml, the value in <result>', async () => {
    const answer = await call('API.getMatomoVersion', { format: 'xml' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('Content-Type')).toBe('text/xml; charset=utf-8');
    expect(answer.text).toBe(`${declaration}\n<result>5.4.0</result>`);
  });

  test('csv: UTF-16LE with a byte order mark, as Excel reads it, unless convertToUnicode=0', async () => {
    const answer = await call('API.getMatomoVersion', { format: 'csv' });
    expect(answer.headers.get('Content-Type')).toBe(excel);
    expect(answer.headers.get('Content-Disposition')).toBe("attachment; filename*=UTF-8''Export");
    expect([...answer.bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(answer.bytes.subarray(2).toString('utf16le')).toBe('value\n5.4.0');
    const plain = await call('API.getMatomoVersion', { format: 'csv', convertToUnicode: '0' });
    expect(plain.text).toBe('value\n5.4.0');
  });

  test('tsv', async () => {
    const answer = await call('API.getMatomoVersion', { format: 'tsv', convertToUnicode: '0' });
    expect(answer.headers.get('Content-Type')).toBe(excel);
    expect(answer.text).toBe('value\n5.4.0');
  });

  test.each(['XML', 'Xml', 'xMl'])('format=%s: any letter case, as Matomo lower-cases it', async (format) => {
    expect((await call('API.getMatomoVersion', { format })).text).toBe(
      `${declaration}\n<result>5.4.0</result>`,
    );
  });

  test('format in the POST body', async () => {
    const answer = await call('API.getMatomoVersion', { format: 'xml' }, { verb: 'POST' });
    expect(answer.text).toBe(`${declaration}\n<result>5.4.0</result>`);
  });

  test('no format: XML, Matomo’s default (API\\Request::process)', async () => {
    const answer = await call('API.getMatomoVersion', {});
    expect(answer.headers.get('Content-Type')).toBe('text/xml; charset=utf-8');
    expect(answer.text).toBe(`${declaration}\n<result>5.4.0</result>`);
  });

  test('no format at index.php, GET and POST: XML too', async () => {
    const headers = { Authorization: `Bearer ${viewer}` };
    const viaGet = await fetch(`${server.url}/index.php?module=API&method=API.getMatomoVersion`, { headers });
    const viaPost = await fetch(`${server.url}/index.php`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'module=API&method=API.getMatomoVersion',
    });
    for (const response of [viaGet, viaPost]) {
      expect(response.headers.get('Content-Type')).toBe('text/xml; charset=utf-8');
      expect(await response.text()).toBe(`${declaration}\n<result>5.4.0</result>`);
    }
  });
});

describe('a table (UserCountry.getCountry)', () => {
  // Thirty days of demo data whatever today is (a month of `today` has one day on the 1st).
  const params = { idSite: '1', period: 'range', date: 'last30', filter_limit: '3' };
  let rows: Record<string, unknown>[];
  beforeAll(async () => {
    rows = (await json('UserCountry.getCountry', params)) as Record<string, unknown>[];
    expect(rows.length).toBe(3);
  });

  test('xml: a <row> per row, a tag per column, in order', async () => {
    const answer = await call('UserCountry.getCountry', { ...params, format: 'xml' });
    const expected = rows.map((row) =>
      lines(
        '\t<row>',
        ...Object.entries(row).flatMap(([name, value]) =>
          name === 'goals' ? goalLines(value as Goals) : [`\t\t<${name}>${value}</${name}>`],
        ),
        '\t</row>',
      ),
    );
    expect(answer.text).toBe(lines(declaration, '<result>', ...expected, '</result>'));
  });

  test.each([
    ['csv', ','],
    ['tsv', '\t'],
  ])('%s: a header, a line per row, metadata last and prefixed', async (format, separator) => {
    const answer = await call('UserCountry.getCountry', { ...params, format, convertToUnicode: '0' });
    expect(answer.headers.get('Content-Type')).toBe(excel);
    expect(answer.headers.get('Content-Disposition')).toBe("attachment; filename*=UTF-8''Export.csv");
    const [header = '', ...body] = answer.text.split('\n');
    const columns = header.split(separator);
    // A range's rows: visits first, the unique visitors summed from days further on.
    expect(columns.slice(0, 2)).toEqual(['label', 'nb_visits']);
    expect(columns).toContain('metadata_segment');
    expect(columns.indexOf('metadata_segment')).toBeGreaterThan(columns.indexOf('bounce_count'));
    expect(body.map((line) => line.split(separator))).toEqual(
      rows.map((row) => {
        const flat = flatGoals(row);
        return columns.map((name) => String(flat[name.replace(/^metadata_/, '')] ?? ''));
      }),
    );
  });

  test('csv of an empty table: "No data available", no file', async () => {
    const answer = await call('UserCountry.getCountry', {
      idSite: '1',
      period: 'day',
      date: '2020-01-01',
      format: 'csv',
    });
    expect(answer.text).toBe('No data available');
    expect(answer.headers.get('Content-Disposition')).toBeNull();
  });

  test('xml of an empty table: <result />', async () => {
    const answer = await call('UserCountry.getCountry', {
      idSite: '1',
      period: 'day',
      date: '2020-01-01',
      format: 'xml',
    });
    expect(answer.text).toBe(`${declaration}\n<result />`);
  });
});

describe('a map by period (VisitsSummary.getVisits, date=last3)', () => {
  const params = { idSite: '1', period: 'day', date: 'last3' };
  let visits: Record<string, number>;
  beforeAll(async () => {
    visits = (await json('VisitsSummary.getVisits', params)) as Record<string, number>;
    expect(Object.keys(visits)).toHaveLength(3);
  });

  test('xml: <results>, a <result date="…"> per period (empty when zero, as Matomo)', async () => {
    const answer = await call('VisitsSummary.getVisits', { ...params, format: 'xml' });
    const expected = Object.entries(visits).map(([date, value]) =>
      value === 0 ? `\t<result date="${date}" />` : `\t<result date="${date}">${value}</result>`,
    );
    expect(answer.text).toBe(lines(declaration, '<results>', ...expected, '</results>'));
  });

  test('csv: date first', async () => {
    const answer = await call('VisitsSummary.getVisits', { ...params, format: 'csv', convertToUnicode: '0' });
    expect(answer.text).toBe(
      lines('date,value', ...Object.entries(visits).map(([date, value]) => `${date},${value}`)),
    );
  });
});

describe('a map by site (VisitsSummary.get, idSite=1,2)', () => {
  const params = { idSite: '1,2', period: 'day', date: 'yesterday' };
  let bySite: Record<string, Record<string, unknown>>;
  beforeAll(async () => {
    bySite = (await json('VisitsSummary.get', params)) as Record<string, Record<string, unknown>>;
  });

  test('xml: <result idSite="…"> around each record', async () => {
    const answer = await call('VisitsSummary.get', { ...params, format: 'xml' }, { token: root });
    const expected = Object.entries(bySite).map(([idSite, record]) =>
      lines(
        `\t<result idSite="${idSite}">`,
        ...Object.entries(record).map(([name, value]) => `\t\t<${name}>${value}</${name}>`),
        '\t</result>',
      ),
    );
    expect(answer.text).toBe(lines(declaration, '<results>', ...expected, '</results>'));
  });

  test('tsv: idSite first', async () => {
    const answer = await call(
      'VisitsSummary.get',
      { ...params, format: 'tsv', convertToUnicode: '0' },
      { token: root },
    );
    const [header = '', ...body] = answer.text.split('\n');
    const columns = header.split('\t');
    expect(columns[0]).toBe('idSite');
    expect(body.map((line) => line.split('\t'))).toEqual(
      Object.entries(bySite).map(([idSite, record]) => [
        idSite,
        ...columns.slice(1).map((name) => String(record[name])),
      ]),
    );
  });
});

describe('a multi-site, multi-period map (VisitsSummary.get, idSite=1,2, date=last2)', () => {
  test('xml: sites outermost, then periods', async () => {
    const params = { idSite: '1,2', period: 'day', date: 'last2' };
    const answer = await call('VisitsSummary.get', { ...params, format: 'xml' }, { token: root });
    const opening = answer.text.split('\n').filter((line) => /<result (idSite|date)=/.test(line));
    const bySite = (await json('VisitsSummary.get', params)) as Record<string, Record<string, unknown>>;
    const [first, second] = Object.keys(bySite['1'] ?? {});
    expect(opening.map((line) => line.replace(/>.*$/, '>'))).toEqual([
      '\t<result idSite="1">',
      `\t\t<result date="${first}">`,
      `\t\t<result date="${second}">`,
      '\t<result idSite="2">',
      `\t\t<result date="${first}">`,
      `\t\t<result date="${second}">`,
    ]);
  });
});

describe('a void method’s success (SitesManager.updateSite)', () => {
  test.each([
    ['xml', `${declaration}\n<result>\n\t<success message="ok" />\n</result>`, 'text/xml; charset=utf-8'],
    ['csv', 'message\nok', excel],
    ['tsv', 'message\tok', excel],
  ])('%s', async (format, body, type) => {
    const answer = await call(
      'SitesManager.updateSite',
      { idSite: '3', siteName: 'Surf', format },
      { token: root, verb: 'POST' },
    );
    expect(answer.text).toBe(body);
    expect(answer.headers.get('Content-Type')).toBe(type);
  });
});

describe('errors, in each format', () => {
  const unknown =
    "The method 'nothing' does not exist or is not available in the module '\\Piwik\\Plugins\\VisitsSummary\\API'.";

  test.each([
    ['json', 'application/json; charset=utf-8', JSON.stringify({ result: 'error', message: unknown })],
    [
      'xml',
      'text/xml; charset=utf-8',
      `${declaration}\n<result>\n\t<error message="${unknown}" />\n</result>`,
    ],
    ['csv', 'text/html; charset=utf-8', `Error: ${unknown}`],
    ['tsv', 'text/html; charset=utf-8', `Error: ${unknown}`],
  ])('%s: an unknown method', async (format, type, body) => {
    const answer = await call('VisitsSummary.nothing', { format });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('Content-Type')).toBe(type);
    expect(answer.text).toBe(body);
  });

  // Matomo reads the format before the method and the token (API\Request::process), so what
  // fails on them is answered in its default format, XML.
  test('no format: an unknown method, in XML', async () => {
    const answer = await call('VisitsSummary.nothing', {});
    expect(answer.status).toBe(400);
    expect(answer.headers.get('Content-Type')).toBe('text/xml; charset=utf-8');
    expect(answer.text).toBe(`${declaration}\n<result>\n\t<error message="${unknown}" />\n</result>`);
  });

  test('no format: no method at index.php, in XML', async () => {
    const response = await fetch(`${server.url}/index.php?module=API`, {
      headers: { Authorization: `Bearer ${viewer}` },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe(
      `${declaration}\n<result>\n\t<error message="Please specify a value for 'method'." />\n</result>`,
    );
  });

  test('no format, no token: 401 with the challenge, in XML', async () => {
    const answer = await call('API.getMatomoVersion', {}, { token: null });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('WWW-Authenticate')).toBe('Bearer realm="matomo"');
    expect(answer.headers.get('Content-Type')).toBe('text/xml; charset=utf-8');
    expect(answer.text).toMatch(
      /^<\?xml version="1.0" encoding="utf-8" \?>\n<result>\n\t<error message="[^"]+" \/>\n<\/result>$/,
    );
  });

  test('an unknown format: Matomo’s message, as plain text, status 200', async () => {
    const answer = await call('API.getMatomoVersion', { format: 'YAML' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
    expect(answer.text).toBe(
      "Error: Renderer format 'yaml' not valid. Try any of the following instead: csv, json, tsv, xml.",
    );
  });

  test('the format is checked before the method and the token, as Matomo does', async () => {
    const answer = await call('Nope.nothing', { format: 'original' }, { token: null });
    expect(answer.status).toBe(200);
    expect(answer.text).toMatch(/^Error: Renderer format 'original' not valid/);
  });

  test('no token, in XML: 401 with the challenge', async () => {
    const answer = await call('API.getMatomoVersion', { format: 'xml' }, { token: null });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('WWW-Authenticate')).toBe('Bearer realm="matomo"');
    expect(answer.text).toMatch(
      /^<\?xml version="1.0" encoding="utf-8" \?>\n<result>\n\t<error message="[^"]+" \/>\n<\/result>$/,
    );
  });

  test('messages are escaped as Matomo escapes them, in every format', async () => {
    const escaped =
      "The method '&lt;b&gt;&quot;' does not exist or is not available in the module '\\Piwik\\Plugins\\VisitsSummary\\API'.";
    const method = encodeURIComponent('VisitsSummary.<b>"');
    const xml = await call(method, { format: 'xml' });
    expect(xml.text).toBe(`${declaration}\n<result>\n\t<error message="${escaped}" />\n</result>`);
    expect(JSON.parse((await call(method, { format: 'json' })).text)).toEqual({
      result: 'error',
      message: escaped,
    });
    expect((await call(method, { format: 'csv' })).text).toBe(`Error: ${escaped}`);
  });

  test('before the API is chosen (an unknown index.php module), in the requested format', async () => {
    const response = await fetch(`${server.url}/index.php?module=Nope&format=xml`);
    expect(response.headers.get('Content-Type')).toBe('text/xml; charset=utf-8');
    expect(await response.text()).toMatch(
      /^<\?xml version="1.0" encoding="utf-8" \?>\n<result>\n\t<error message=/,
    );
  });

  test('a result CSV cannot hold: Matomo’s message (Annotations.getAll)', async () => {
    const answer = await call('Annotations.getAll', { idSite: '1', format: 'csv' });
    expect(answer.status).toBe(200);
    expect(answer.text).toMatch(
      /^Error: Data structure returned is not convertible in the requested format: Multidimensional column values not supported\./,
    );
  });
});
