// `audit tail|export` against a temporary database.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cli, cliError, cliJson, newDatabase } from './cli-harness';

interface Entry {
  id: number;
  created_at: string;
  event: string;
  actor: string | null;
  client_id: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
}

let database: Awaited<ReturnType<typeof newDatabase>>;
let env: Record<string, string>;
let clientIds: string[];
beforeAll(async () => {
  database = await newDatabase();
  env = database.env;
  clientIds = [];
  for (const name of ['One', 'Two', 'Three']) {
    const created = await cliJson<{ client: { client_id: string } }>(env, [
      'clients',
      'create',
      '--name',
      name,
      '--grant-types',
      'client_credentials',
      '--scope',
      'matomo:read',
    ]);
    clientIds.push(created.client.client_id);
  }
  await cliJson(env, ['clients', 'pause', clientIds[1] as string]);
});
afterAll(() => database.remove());

describe('audit tail', () => {
  test('the last entries, oldest of them first; -n, --event, --client and --user filter', async () => {
    const all = await cliJson<Entry[]>(env, ['audit', 'tail', '-n', '100']);
    // The first super user (created by the server), three clients, a pause.
    expect(all.map((entry) => entry.event)).toEqual([
      'user.created',
      'client.created',
      'client.created',
      'client.created',
      'client.paused',
    ]);
    expect(all.map((entry) => entry.id)).toEqual([...all.map((entry) => entry.id)].sort((a, b) => a - b));
    expect(all[1]).toMatchObject({
      actor: 'admin',
      client_id: clientIds[0],
      ip: null,
      detail: { scope: 'matomo:read' },
    });
    expect(Date.parse(all[1]?.created_at ?? '')).toBeGreaterThan(Date.now() - 60_000);

    expect((await cliJson<Entry[]>(env, ['audit', 'tail', '-n', '2'])).map((entry) => entry.event)).toEqual([
      'client.created',
      'client.paused',
    ]);
    expect(await cliJson<Entry[]>(env, ['audit', 'tail', '--event', 'client.paused'])).toEqual([all[4]]);
    expect(
      (await cliJson<Entry[]>(env, ['audit', 'tail', '--client', clientIds[1] as string])).map(
        (entry) => entry.event,
      ),
    ).toEqual(['client.created', 'client.paused']);
    expect(await cliJson<Entry[]>(env, ['audit', 'tail', '--user', 'nobody'])).toEqual([]);
  });

  test('a table for people', async () => {
    const lines = (await cli(env, ['audit', 'tail', '-n', '1'])).stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^TIME\s+EVENT\s+ACTOR\s+CLIENT\s+IP\s+DETAIL$/);
    expect(lines[1]).toMatch(
      new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\S+Z\\s+client\\.paused\\s+admin\\s+${clientIds[1]}\\s+-`),
    );
  });

  test.each([
    [
      ['audit', 'tail', '--event', 'client.exploded'],
      /unknown event "client.exploded" \(one of login.succeeded, /,
    ],
    [['audit', 'tail', '-n', '0'], /-n must be a whole number/],
    [['audit', 'tail', '-n', 'ten'], /-n must be a whole number/],
    [['audit', 'export', '--since', 'last tuesday'], /--since must be a date or time/],
    [['audit', 'purge'], /unknown command "audit purge"/],
  ])('%j is refused in one line', async (argv, message) => {
    expect((await cliError(env, argv)).stderr).toMatch(message);
  });
});

describe('audit export', () => {
  const exported = async (argv: string[] = []) => {
    const result = await cli(env, ['audit', 'export', ...argv]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    return result.stdout === ''
      ? []
      : result.stdout
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line) as Entry);
  };

  test('JSON lines, one entry a line, oldest first, the same entries as tail', async () => {
    const lines = await exported();
    expect(lines).toEqual(await cliJson<Entry[]>(env, ['audit', 'tail', '-n', '100']));
  });

  test('--since, --until and --event', async () => {
    const all = await exported();
    const paused = all.find((entry) => entry.event === 'client.paused') as Entry;
    expect(await exported(['--since', '2100-01-01'])).toEqual([]);
    expect(await exported(['--until', '2000-01-01T00:00:00Z'])).toEqual([]);
    expect(await exported(['--since', paused.created_at, '--event', 'client.paused'])).toEqual([paused]);
    expect((await exported(['--event', 'client.created'])).map((entry) => entry.client_id)).toEqual(
      clientIds,
    );
  });
});
