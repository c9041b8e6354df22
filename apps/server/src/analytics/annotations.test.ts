import { describe, expect, test } from 'vitest';
import { AnalyticsFixture, type ContextOptions } from '../../test/analytics/analytics-fixture';
import { expectShape, SHAPES } from '../../test/analytics/contract-keys';
import { MatomoApiError } from '../errors/matomo-api-error';
import { analyticsMethods } from './index';

const fixture = AnalyticsFixture.forTests(async (created) => {
  await created.addSite('UTC', 'https://one.example');
  await created.addSite('Pacific/Auckland', 'https://two.example');
});

/** Ann and Bob write on site 1; only Ada administers it. */
const as = (login: string, options: ContextOptions = {}): ContextOptions => ({
  login,
  adminOf: () => login === 'ada',
  ...options,
});

const add = (query: string, options: ContextOptions) =>
  analyticsMethods['Annotations.add'].run(fixture.context(query, options));
const getAll = (query: string, options: ContextOptions) =>
  analyticsMethods['Annotations.getAll'].run(fixture.context(query, options));
const remove = (query: string, options: ContextOptions) =>
  analyticsMethods['Annotations.delete'].run(fixture.context(query, options));

describe('Annotations', () => {
  test('add returns the note, then getAll shows it, keyed by site', async () => {
    const added = await add('date=2026-11-24&note=Launch&starred=1', as('ann'));
    expect(added).toEqual({
      idNote: 0,
      date: '2026-11-24',
      note: 'Launch',
      starred: 1,
      user: 'ann',
      canEditOrDelete: true,
    });
    expectShape(added, SHAPES.Annotation);
    const second = await add('date=2026-10-02&note=Price%20change', as('bob'));
    expect(second).toMatchObject({ idNote: 1, starred: 0, user: 'bob' });

    const all = await getAll('', as('ann'));
    expect(all).toEqual({
      '1': [
        {
          idNote: 1,
          date: '2026-10-02',
          note: 'Price change',
          starred: 0,
          user: 'bob',
          canEditOrDelete: false,
        },
        { idNote: 0, date: '2026-11-24', note: 'Launch', starred: 1, user: 'ann', canEditOrDelete: true },
      ],
    });
    for (const note of all['1'] ?? []) expectShape(note, SHAPES.Annotation);
  });

  test('an administrator of the site may edit or delete every note', async () => {
    const all = await getAll('', as('ada'));
    expect(all['1']?.map((note) => note.canEditOrDelete)).toEqual([true, true]);
  });

  test('several sites: every site has a key, even without notes', async () => {
    await add('date=2026-11-25&note=Other%20site', as('ann', { ids: [2] }));
    const all = await getAll('', as('ann', { ids: [1, 2] }));
    expect(Object.keys(all)).toEqual(['1', '2']);
    expect(all['2']).toEqual([
      { idNote: 0, date: '2026-11-25', note: 'Other site', starred: 0, user: 'ann', canEditOrDelete: true },
    ]);
    const empty = await fixture.addSite('UTC', 'https://three.example');
    expect(await getAll('', as('ann', { ids: [empty] }))).toEqual({ [String(empty)]: [] });
  });

  test('date and period select the notes of a period, lastN the periods before it too', async () => {
    const days = async (query: string) => (await getAll(query, as('ann')))['1']?.map((note) => note.date);
    expect(await days('date=2026-11-24&period=day')).toEqual(['2026-11-24']);
    expect(await days('date=2026-11-24')).toEqual(['2026-11-24']);
    expect(await days('date=2026-11-23&period=day')).toEqual([]);
    expect(await days('date=2026-11-01&period=month')).toEqual(['2026-11-24']);
    expect(await days('date=2026-11-01&period=month&lastN=2')).toEqual(['2026-10-02', '2026-11-24']);
    expect(await days('date=2026-10-01,2026-11-30&period=range&lastN=50')).toEqual([
      '2026-10-02',
      '2026-11-24',
    ]);
    expect(await days('date=last30&period=day')).toEqual(['2026-11-24']);
    expect(await days('period=day')).toEqual(['2026-10-02', '2026-11-24']);
  });

  test('only the author or an administrator may delete (401 otherwise)', async () => {
    const note = await add('date=2026-11-20&note=Temporary', as('ann'));
    let refused: unknown;
    try {
      await remove(`idNote=${note.idNote}`, as('carl'));
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(MatomoApiError);
    expect((refused as MatomoApiError).status).toBe(401);
    expect(await remove(`idNote=${note.idNote}`, as('ann'))).toEqual({ result: 'success', message: 'ok' });
    const bob = (await getAll('', as('ada')))['1']?.find((n) => n.user === 'bob');
    expect(await remove(`idNote=${bob?.idNote}`, as('ada'))).toEqual({ result: 'success', message: 'ok' });
    expect((await getAll('', as('ann')))['1']?.map((n) => n.note)).toEqual(['Launch']);
  });

  test('deleting an unknown note is an error', async () => {
    await expect(remove('idNote=42', as('ada'))).rejects.toThrow(/There is no note with id '42'/);
    await expect(remove('idNote=42', as('ada'))).rejects.toMatchObject({ status: 200 });
  });

  test('bad input', async () => {
    const bad: [string, (query: string, options: ContextOptions) => Promise<unknown>, ContextOptions?][] = [
      ['note=x', add],
      ['date=2026-11-24', add],
      ['date=2026-13-45&note=x', add],
      ['date=today&note=x', add],
      [`date=2026-11-24&note=${'x'.repeat(256)}`, add],
      ['date=2026-11-24&note=x&starred=yes', add],
      ['date=2026-11-24&note=x', add, { ids: [1, 2] }],
      ['', remove],
      ['idNote=-1', remove],
      ['idNote=abc', remove],
      ['idNote=1', remove, { ids: [1], multiple: true }],
      ['date=2026-11-24&period=decade', getAll],
      ['date=notadate', getAll],
      ['date=2026-11-24&period=day&lastN=0', getAll],
      ['date=2026-11-24&period=day&lastN=5000', getAll],
    ];
    for (const [query, method, options] of bad) {
      await expect(method(query, as('ada', options)), query).rejects.toBeInstanceOf(MatomoApiError);
    }
  });
});
