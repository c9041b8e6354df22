// Exports a Matomo report as CSV from a backend: a token from the client credentials grant
// (`createClientCredentials`), then Matomo's own CSV export (`format=csv`) called with that token.
// Settings come from the environment (see README.md); a missing one stops the script before any request.
import { writeFile } from 'node:fs/promises';
import type { MatomoScope, ScopeList } from '@matomo-oauth2/sdk';
import { matomoEndpoints } from '@matomo-oauth2/sdk';
import { createClientCredentials } from '@matomo-oauth2/sdk/client-credentials';

/** Exit codes: 1 when the server refuses or fails, 2 when the settings are wrong (nothing was sent). */
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

class UsageError extends Error {}

interface Settings {
  url: string;
  clientId: string;
  clientSecret: string;
  scope: ScopeList<MatomoScope>;
  /** `plugin`: the Matomo plugin's endpoints (`index.php?module=OAuth2&action=token`), no discovery. */
  endpoints: 'discover' | 'plugin';
  report: Record<'method' | 'idSite' | 'period' | 'date', string>;
  output: string | undefined;
}

const REQUIRED = ['MATOMO_URL', 'MATOMO_CLIENT_ID', 'MATOMO_CLIENT_SECRET'] as const;

const isScopeList = (value: string): value is ScopeList<MatomoScope> =>
  /^matomo:(read|write|admin|superuser)( matomo:(read|write|admin|superuser)){0,3}$/.test(value);

/** The settings, or a `UsageError` naming every missing or malformed variable. */
function readSettings(env: NodeJS.ProcessEnv): Settings {
  // An unset variable and an empty one (`MATOMO_CLIENT_SECRET= npm start`) are both missing.
  const value = (name: string, fallback = '') => env[name]?.trim() || fallback;
  const missing = REQUIRED.filter((name) => !value(name));
  if (missing.length > 0) throw new UsageError(`Missing environment variable: ${missing.join(', ')}.`);
  const url = value('MATOMO_URL').replace(/\/+$/, '');
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new UsageError(`MATOMO_URL is not an http(s) URL: ${url}`);
  }
  const scope = value('MATOMO_SCOPE', 'matomo:read');
  if (!isScopeList(scope)) throw new UsageError(`MATOMO_SCOPE is not a list of Matomo scopes: ${scope}`);
  const endpoints = value('MATOMO_ENDPOINTS', 'discover');
  if (endpoints !== 'discover' && endpoints !== 'plugin')
    throw new UsageError(`MATOMO_ENDPOINTS is 'discover' or 'plugin', not: ${endpoints}`);
  const method = value('METHOD', 'Actions.getPageUrls');
  if (!/^\w+\.\w+$/.test(method))
    throw new UsageError(`METHOD is not a Matomo method (Module.action): ${method}`);
  return {
    url,
    clientId: value('MATOMO_CLIENT_ID'),
    clientSecret: value('MATOMO_CLIENT_SECRET'),
    scope,
    endpoints,
    report: {
      method,
      idSite: value('ID_SITE', '1'),
      period: value('PERIOD', 'month'),
      date: value('DATE', 'lastMonth'),
    },
    output: value('OUTPUT') || undefined,
  };
}

/** Matomo's CSV is UTF-16LE with a byte order mark (what Excel reads); without the mark, UTF-8. */
function decodeCsv(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes); // drops a UTF-8 byte order mark, if any
}

const unescapeXml = (text: string) =>
  text.replace(/&(lt|gt|quot|apos|#039|amp);/g, (_, name: string) => XML_ENTITIES[name] ?? '');
const XML_ENTITIES: Record<string, string> = {
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  '#039': "'",
  amp: '&',
};

// RFC 6750's invalid_token, or no challenge at all (a Matomo with the OAuth2 plugin): the token is dead.
const deadToken = (response: Response) =>
  response.status === 401 &&
  /invalid_token/.test(response.headers.get('www-authenticate') ?? 'invalid_token');

/** The report as Matomo's CSV text (header line first), or '' when the period has no data. */
async function exportCsv(settings: Settings): Promise<string> {
  const auth = createClientCredentials({
    ...(settings.endpoints === 'plugin'
      ? { server: matomoEndpoints(settings.url) }
      : { baseUrl: settings.url }),
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    scope: settings.scope,
  });
  try {
    // POST, as the SDK sends API calls: no parameter and no token in a URL or an access log.
    // flat=1: one row per page URL (CSV has no subtables); filter_limit=-1: every row, not the first 100.
    const body = new URLSearchParams({
      module: 'API',
      format: 'csv',
      ...settings.report,
      flat: '1',
      filter_limit: '-1',
    });
    const send = (token: string) =>
      fetch(`${settings.url}/index.php`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body,
      });
    const token = await auth.getAccessToken();
    let response = await send(token);
    if (deadToken(response)) response = await send(await auth.renewAccessToken(token));
    const text = decodeCsv(new Uint8Array(await response.arrayBuffer()));
    // Matomo answers errors as `Error: …` (XML-escaped) in CSV, often with status 200.
    if (!response.ok || text.startsWith('Error: ')) {
      const message = unescapeXml(text.replace(/^Error: /, '').slice(0, 500));
      throw new Error(`${settings.report.method} failed (HTTP ${response.status}): ${message}`);
    }
    return text === 'No data available' ? '' : text;
  } finally {
    auth.close();
  }
}

async function main(): Promise<number> {
  let settings: Settings;
  try {
    settings = readSettings(process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\nSee examples/export-report/README.md for the settings.`);
    return EXIT_USAGE;
  }
  try {
    const csv = await exportCsv(settings);
    // UTF-8 without a byte order mark: what other programs read (see README.md for Excel).
    const text = csv === '' || csv.endsWith('\n') ? csv : `${csv}\n`;
    if (settings.output) await writeFile(settings.output, text, 'utf8');
    else process.stdout.write(text);
    const rows = Math.max(0, text.split('\n').length - 2);
    const { method, idSite, period, date } = settings.report;
    const where = settings.output ?? 'standard output';
    console.error(`${method} (idSite=${idSite}, period=${period}, date=${date}): ${rows} rows to ${where}.`);
    return 0;
  } catch (error) {
    // The SDK's errors never contain the secret or a token.
    console.error(error instanceof Error ? error.message : String(error));
    return EXIT_FAILED;
  }
}

process.exitCode = await main();
