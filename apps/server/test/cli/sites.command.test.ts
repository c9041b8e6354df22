// `sites …` against a temporary database.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cli, cliError, cliJson, newDatabase } from './cli-harness';

interface SiteJson {
  idsite: number;
  name: string;
  main_url: string;
  urls: string[];
  timezone: string;
  timezone_name: string;
  currency: string;
  creator_login: string;
}

let database: Awaited<ReturnType<typeof newDatabase>>;
let env: Record<string, string>;
beforeAll(async () => {
  database = await newDatabase();
  env = database.env;
});
afterAll(() => database.remove());

describe('sites', () => {
  test('add, list and update; a flag not given keeps its value', async () => {
    expect((await cli(env, ['sites', 'list'])).stdout).toContain('No sites yet');
    const shop = await cliJson<SiteJson>(env, [
      'sites',
      'add',
      '--name',
      'Shop',
      '--url',
      'https://shop.example.org',
      '--url',
      'https://www.shop.example.org',
      '--timezone',
      'Europe/Paris',
      '--currency',
      'EUR',
    ]);
    expect(shop).toMatchObject({
      idsite: 1,
      name: 'Shop',
      main_url: 'https://shop.example.org',
      urls: ['https://shop.example.org', 'https://www.shop.example.org'],
      timezone: 'Europe/Paris',
      currency: 'EUR',
      creator_login: 'admin',
    });
    const blog = await cliJson<SiteJson>(env, ['sites', 'add', '--name', 'Blog']);
    expect(blog).toMatchObject({ idsite: 2, timezone: 'UTC', currency: 'USD', urls: [] });

    const updated = await cliJson<SiteJson>(env, ['sites', 'update', '1', '--timezone', 'Asia/Tokyo']);
    // Matomo's timezone_name follows the timezone.
    expect(updated).toEqual({ ...shop, timezone: 'Asia/Tokyo', timezone_name: 'Japan' });
    const moved = await cliJson<SiteJson>(env, ['sites', 'update', '2', '--url', 'https://blog.example.org']);
    expect(moved).toMatchObject({ name: 'Blog', main_url: 'https://blog.example.org' });

    expect((await cliJson<SiteJson[]>(env, ['sites', 'list'])).map((site) => site.name)).toEqual([
      'Shop',
      'Blog',
    ]);
    const table = (await cli(env, ['sites', 'list'])).stdout.split('\n');
    expect(table[0]).toMatch(/^ID\s+NAME\s+MAIN URL\s+TIMEZONE\s+CURRENCY\s+CREATED$/);
    expect(table[1]).toMatch(/^1\s+Shop\s+https:\/\/shop\.example\.org\s+Asia\/Tokyo\s+EUR\s/);

    const events = await cliJson<{ event: string }[]>(env, ['audit', 'tail', '--user', 'admin']);
    expect(events.map((entry) => entry.event).filter((event) => event.startsWith('site.'))).toEqual([
      'site.created',
      'site.created',
      'site.updated',
      'site.updated',
    ]);
  });

  test.each([
    [['sites', 'add'], /siteName/],
    [
      ['sites', 'add', '--name', 'x', '--timezone', 'Mars/Olympus'],
      /^error: The timezone "Mars\/Olympus" is not valid\. Please enter a valid timezone\.$/m,
    ],
    [
      ['sites', 'add', '--name', 'x', '--currency', 'euro'],
      /^error: The currency "euro" is not valid\. Please enter a valid currency symbol/m,
    ],
    [['sites', 'add', '--name', 'x', '--url', 'ftp://example.org'], /not a valid URL/],
    [['sites', 'update', '99', '--name', 'x'], /^error: unknown site "99"$/m],
    [['sites', 'update', 'one', '--name', 'x'], /the site id must be a whole number/],
    [['sites', 'update', '1', '--name', ' '], /^error: The website name can't be empty\.$/m],
  ])('%j is refused in one line', async (argv, message) => {
    expect((await cliError(env, argv)).stderr).toMatch(message);
  });
});
