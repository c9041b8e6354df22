import { beforeAll, describe, expect, test } from 'vitest';
import type { ContextOptions } from '../../test/analytics/analytics-fixture';
import { useHandBuiltDataset } from '../../test/analytics/hand-built-dataset';
import { MatomoApiError } from '../errors/matomo-api-error';
import { splitClickUrl } from './click-urls';
import { analyticsMethods } from './index';

/*
 * Besides the hand-built dataset (site 1: one download in v1, one outlink in v5), a site of its
 * own, UTC, on Monday 2026-11-23 (time spent is the time until the visit's next action):
 *   x1  /  (10 s)  files.example/a.pdf (30 s)  files.example/a.pdf (20 s)  cdn.example/b.zip#v2 (5 s)  outlink github.com/x (0 s)
 *   x2  /  (5 s)   files.example/c/d.pdf (15 s)  files.example/a.pdf (0 s)
 * Downloads that day: files.example/a.pdf 3 hits, 2 visits, 50 s; /c/d.pdf 1 hit, 15 s;
 * cdn.example/b.zip#v2 1 hit, 5 s. So files.example is 3 visits (2 + 1), 4 hits, 65 s.
 */
const { fixture } = useHandBuiltDataset();
let clicks: number;
let aPdf: number;
let bZip: number;

beforeAll(async () => {
  clicks = await fixture.addSite('UTC', 'https://clicks.example');
  await fixture.record(
    {
      idsite: clicks,
      visitor: '1111111111111111',
      actions: [
        { at: '2026-11-23T08:00:00Z', page: '/' },
        { at: '2026-11-23T08:00:10Z', download: 'https://files.example/a.pdf' },
        { at: '2026-11-23T08:00:40Z', download: 'https://files.example/a.pdf' },
        { at: '2026-11-23T08:01:00Z', download: 'http://cdn.example/b.zip#v2' },
        { at: '2026-11-23T08:01:05Z', outlink: 'https://github.com/x' },
      ],
    },
    {
      idsite: clicks,
      visitor: '2222222222222222',
      actions: [
        { at: '2026-11-23T09:00:00Z', page: '/' },
        { at: '2026-11-23T09:00:05Z', download: 'https://files.example/c/d.pdf' },
        { at: '2026-11-23T09:00:20Z', download: 'https://files.example/a.pdf' },
      ],
    },
  );
  const idOf = async (name: string) =>
    (
      await fixture.db
        .selectFrom('log_action')
        .select('idaction')
        .where('name', '=', name)
        .executeTakeFirstOrThrow()
    ).idaction;
  // a.pdf was stored before c/d.pdf: the smallest id of its host, so the host's idsubdatatable.
  aPdf = await idOf('https://files.example/a.pdf');
  bZip = await idOf('http://cdn.example/b.zip#v2');
});

const DAY = 'period=day&date=2026-11-23';

function run(
  method: 'Actions.getDownloads' | 'Actions.getOutlinks',
  query: string,
  options?: ContextOptions,
) {
  return analyticsMethods[method].run(fixture.context(query, { ids: [clicks], ...options }));
}

const aPdfRow = {
  label: '/a.pdf',
  nb_visits: 2,
  nb_uniq_visitors: 2,
  nb_hits: 3,
  sum_time_spent: 50,
  url: 'https://files.example/a.pdf',
  segment: 'downloadUrl==https%253A%252F%252Ffiles.example%252Fa.pdf',
};
const cdPdfRow = {
  label: '/c/d.pdf',
  nb_visits: 1,
  nb_uniq_visitors: 1,
  nb_hits: 1,
  sum_time_spent: 15,
  url: 'https://files.example/c/d.pdf',
  segment: 'downloadUrl==https%253A%252F%252Ffiles.example%252Fc%252Fd.pdf',
};
const bZipRow = {
  label: '/b.zip#v2',
  nb_visits: 1,
  nb_uniq_visitors: 1,
  nb_hits: 1,
  sum_time_spent: 5,
  url: 'http://cdn.example/b.zip#v2',
  segment: 'downloadUrl==http%253A%252F%252Fcdn.example%252Fb.zip%2523v2',
};

describe('Actions.getDownloads', () => {
  test('one row per host, by visits, with the sums of its URLs and a stable idsubdatatable', async () => {
    expect(await run('Actions.getDownloads', DAY)).toEqual([
      { label: 'files.example', nb_visits: 3, nb_hits: 4, sum_time_spent: 65, idsubdatatable: aPdf },
      { label: 'cdn.example', nb_visits: 1, nb_hits: 1, sum_time_spent: 5, idsubdatatable: bZip },
    ]);
  });

  test('expanded=1 nests the URLs by path; idSubtable gives one host, for any period', async () => {
    const [files, cdn] = (await run('Actions.getDownloads', `${DAY}&expanded=1`)) as { subtable?: unknown }[];
    expect(files?.subtable).toEqual([aPdfRow, cdPdfRow]);
    expect(cdn?.subtable).toEqual([bZipRow]);
    expect(await run('Actions.getDownloads', `${DAY}&idSubtable=${aPdf}`)).toEqual([aPdfRow, cdPdfRow]);
    // A month is summed from days: its unique visitors are Matomo's sum_daily_nb_uniq_visitors.
    const { nb_uniq_visitors: _day, ...summed } = bZipRow;
    expect(await run('Actions.getDownloads', `period=month&date=2026-11-01&idSubtable=${bZip}`)).toEqual([
      { ...summed, sum_daily_nb_uniq_visitors: 1 },
    ]);
  });

  test('flat=1 lists every URL once as host/path', async () => {
    const flat = (await run('Actions.getDownloads', `${DAY}&flat=1`)) as { label: string }[];
    expect(flat).toEqual([
      { ...aPdfRow, label: 'files.example/a.pdf' },
      { ...bZipRow, label: 'cdn.example/b.zip#v2' },
      { ...cdPdfRow, label: 'files.example/c/d.pdf' },
    ]);
  });

  test('a segment keeps the visits that match, with all their downloads', async () => {
    // Only x2 downloaded d.pdf: its a.pdf (1 hit, 0 s) and d.pdf (1 hit, 15 s).
    const query = `${DAY}&segment=${encodeURIComponent('downloadUrl=@d.pdf')}`;
    expect(await run('Actions.getDownloads', query)).toEqual([
      { label: 'files.example', nb_visits: 2, nb_hits: 2, sum_time_spent: 15, idsubdatatable: aPdf },
    ]);
  });

  test('the hand-built site: v1 downloaded the guide, as its last action (0 s)', async () => {
    expect(await run('Actions.getDownloads', 'period=week&date=today&expanded=1', { ids: [1] })).toEqual([
      {
        label: 'utc.example',
        nb_visits: 1,
        nb_hits: 1,
        sum_time_spent: 0,
        idsubdatatable: expect.any(Number),
        subtable: [
          {
            label: '/files/guide.pdf',
            nb_visits: 1,
            nb_hits: 1,
            sum_time_spent: 0,
            sum_daily_nb_uniq_visitors: 1,
            url: 'https://utc.example/files/guide.pdf',
            segment: 'downloadUrl==https%253A%252F%252Futc.example%252Ffiles%252Fguide.pdf',
          },
        ],
      },
    ]);
  });

  test('several sites and periods are keyed as every report', async () => {
    const result = await run('Actions.getDownloads', 'period=day&date=2026-11-22,2026-11-23', {
      ids: [1, clicks],
    });
    expect(Object.keys(result)).toEqual(['1', String(clicks)]);
    expect(result).toMatchObject({
      1: { '2026-11-22': [], '2026-11-23': [{ label: 'utc.example' }] },
      [clicks]: { '2026-11-22': [], '2026-11-23': [{ label: 'files.example' }, { label: 'cdn.example' }] },
    });
  });

  test('an idSubtable that is no host of the report is an error', async () => {
    const github = await run('Actions.getOutlinks', DAY);
    const outlinkHost = (github as { idsubdatatable: number }[])[0]?.idsubdatatable;
    await expect(run('Actions.getDownloads', `${DAY}&idSubtable=${outlinkHost}`)).rejects.toThrow(
      new MatomoApiError(`The subtable idSubtable=${outlinkHost} does not exist in Actions.getDownloads.`),
    );
  });
});

describe('Actions.getOutlinks', () => {
  test('the followed links, by host, with an outlinkUrl segment', async () => {
    const [github] = (await run('Actions.getOutlinks', `${DAY}&expanded=1`)) as { idsubdatatable: number }[];
    expect(github).toEqual({
      label: 'github.com',
      nb_visits: 1,
      nb_hits: 1,
      sum_time_spent: 0,
      idsubdatatable: github?.idsubdatatable,
      subtable: [
        {
          label: '/x',
          nb_visits: 1,
          nb_uniq_visitors: 1,
          nb_hits: 1,
          sum_time_spent: 0,
          url: 'https://github.com/x',
          segment: 'outlinkUrl==https%253A%252F%252Fgithub.com%252Fx',
        },
      ],
    });
  });

  test('no outlinks in the period: []', async () => {
    expect(await run('Actions.getOutlinks', 'period=day&date=2026-11-22')).toEqual([]);
  });
});

describe('splitClickUrl', () => {
  test("Matomo's split: host, then / and the path, then the fragment", () => {
    expect(splitClickUrl('https://outlinks.org/#!frag')).toEqual({ host: 'outlinks.org', path: '/#!frag' });
    expect(splitClickUrl('HTTP://Example.org')).toEqual({ host: 'Example.org', path: '/' });
    expect(splitClickUrl('http://a.example/p?q=1#f')).toEqual({ host: 'a.example', path: '/p?q=1#f' });
    expect(splitClickUrl('ftp://files.example/x')).toBeUndefined();
  });
});
