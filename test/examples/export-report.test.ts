// examples/export-report run as a user runs it (a child process, settings in the environment)
// against the real reference server: its CSV is Matomo's export of the same report the JSON API
// gives, and missing credentials stop it before any request.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMatomoClient } from '@matomo-oauth2/sdk';
import { createClientCredentials } from '@matomo-oauth2/sdk/client-credentials';
import { makeTempDir } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLoopbackServer } from '../support/loopback-server';
import { startTestServer, type TestServer } from '../support/test-server';

const exampleDir = fileURLToPath(new URL('../../examples/export-report/', import.meta.url));
const tsx = pathToFileURL(createRequire(join(exampleDir, 'package.json')).resolve('tsx')).href;
const demoClient = { MATOMO_CLIENT_ID: 'analytics_app', MATOMO_CLIENT_SECRET: '7fa9c0f81b8b4a12' };

/** Runs the script with exactly these settings (none inherited from the test's environment). */
function runExample(settings: Record<string, string>) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(MATOMO_|ID_SITE|METHOD|PERIOD|DATE|OUTPUT)/.test(name),
    ),
  );
  const child = spawn(process.execPath, ['--import', tsx, join(exampleDir, 'export-report.ts')], {
    cwd: exampleDir,
    env: { ...env, ...settings },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

/** RFC 4180: a quoted field may hold commas, line breaks and doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [[]];
  let field = '';
  let quoted = false;
  const endField = () => {
    rows.at(-1)?.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (quoted && char === '"' && text[i + 1] === '"') field += text[++i];
    else if (char === '"') quoted = !quoted;
    else if (quoted || (char !== ',' && char !== '\n')) field += char;
    else {
      endField();
      if (char === '\n') rows.push([]);
    }
  }
  if (field !== '') endField();
  return rows.filter((row) => row.length > 0);
}

let server: TestServer;
let temp: ReturnType<typeof makeTempDir>;
beforeAll(async () => {
  server = await startTestServer({ demoVisitsPerDay: 20 });
  temp = makeTempDir();
});
afterAll(async () => {
  temp?.remove();
  await server?.stop();
});

describe('examples/export-report', () => {
  test("writes last month's page URLs as Matomo's CSV: a header row, then the API's rows in order", async () => {
    const output = join(temp.dir, 'pages.csv');
    const run = await runExample({ MATOMO_URL: server.url, ...demoClient, OUTPUT: output });
    expect(run.stderr).toMatch(/Actions\.getPageUrls \(idSite=1, period=month, date=lastMonth\): \d+ rows/);
    expect(run.code).toBe(0);
    const bytes = readFileSync(output);
    expect([...bytes.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]); // UTF-8, no byte order mark
    const [header = [], ...rows] = parseCsv(bytes.toString('utf8'));

    const auth = createClientCredentials({
      baseUrl: server.url,
      ...clientOf(demoClient),
      scope: 'matomo:read',
    });
    const matomo = createMatomoClient({ baseUrl: server.url, auth });
    const expected = await matomo.call('Actions.getPageUrls', {
      idSite: 1,
      period: 'month',
      date: 'lastMonth',
      flat: 1,
      filter_limit: -1,
    });
    auth.close();

    expect(expected.length).toBeGreaterThan(10);
    expect(header.slice(0, 3)).toEqual(['label', 'nb_visits', 'nb_hits']);
    expect(rows).toHaveLength(expected.length);
    expected.forEach((row, index) => {
      const cells = Object.fromEntries(header.map((name, column) => [name, rows[index]?.[column]]));
      for (const [name, value] of Object.entries(row)) {
        if (typeof value === 'object' || name === 'idsubdatatable') continue; // not exported
        const column = header.includes(name) ? name : `metadata_${name}`; // Matomo's row metadata
        expect(cells[column], `row ${index}, ${name}`).toBe(String(value));
      }
    });
  });

  test('writes to standard output without OUTPUT, and takes the report from METHOD, ID_SITE, PERIOD, DATE', async () => {
    const run = await runExample({
      MATOMO_URL: server.url,
      ...demoClient,
      METHOD: 'DevicesDetection.getType',
      ID_SITE: '2',
      PERIOD: 'day',
      DATE: 'yesterday',
    });
    expect(run.code).toBe(0);
    const [header, ...rows] = parseCsv(run.stdout);
    expect(header?.[0]).toBe('label');
    expect(rows.map(([label]) => label)).toContain('Desktop');
  });

  test("MATOMO_ENDPOINTS=plugin: the plugin's token endpoint, no metadata request (a Matomo without metadata)", async () => {
    const requests: string[] = [];
    // In front of the real server: refuses the metadata documents, as a Matomo whose plugin has none.
    const proxy = await startLoopbackServer(async (req, res) => {
      requests.push(`${req.method} ${req.url}`);
      if (/well-known|action=metadata/.test(req.url ?? '')) return void res.writeHead(404).end();
      const body = await new Promise<Buffer>((done) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => done(Buffer.concat(chunks)));
      });
      const answer = await fetch(`${server.url}${req.url}`, {
        method: req.method,
        headers: Object.fromEntries(
          Object.entries(req.headers).filter(
            (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host',
          ),
        ),
        ...(req.method === 'POST' ? { body: new Uint8Array(body) } : {}),
      });
      res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'text/plain' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
    try {
      const run = await runExample({
        MATOMO_URL: proxy.url,
        ...demoClient,
        MATOMO_ENDPOINTS: 'plugin',
        METHOD: 'DevicesDetection.getType',
        PERIOD: 'day',
        DATE: 'yesterday',
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout.split('\n')[0]).toMatch(/^label,/);
      expect(requests[0]).toBe('POST /index.php?module=OAuth2&action=token');
      expect(requests.some((line) => /well-known|action=metadata/.test(line))).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  // Regression: an unset environment variable reached the server as an empty secret.
  test.each([
    ['empty', { MATOMO_CLIENT_SECRET: '' }],
    ['unset', { MATOMO_CLIENT_SECRET: undefined }],
  ])('a secret that is %s: exit code 2, a message naming it, and no request at all', async (_, change) => {
    const requests: string[] = [];
    const sentinel = await startLoopbackServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(500).end();
    });
    try {
      const output = join(temp.dir, 'never.csv');
      const settings = { MATOMO_URL: sentinel.url, ...demoClient, OUTPUT: output, ...change };
      const run = await runExample(
        Object.fromEntries(
          Object.entries(settings).filter((entry): entry is [string, string] => entry[1] !== undefined),
        ),
      );
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('Missing environment variable: MATOMO_CLIENT_SECRET.');
      expect(requests).toEqual([]);
      expect(existsSync(output)).toBe(false);
    } finally {
      await sentinel.close();
    }
  });

  test("a wrong secret: exit code 1 with the server's invalid_client, the secret never shown", async () => {
    const secret = 'not-the-secret-4d1f';
    const run = await runExample({ MATOMO_URL: server.url, ...demoClient, MATOMO_CLIENT_SECRET: secret });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('invalid_client');
    expect(run.stdout + run.stderr).not.toContain(secret);
  });
});

function clientOf(client: typeof demoClient) {
  return { clientId: client.MATOMO_CLIENT_ID, clientSecret: client.MATOMO_CLIENT_SECRET };
}
