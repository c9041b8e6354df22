import type { components } from '@matomo-oauth2/sdk/openapi';
import { describe, expect, test } from 'vitest';
import { AnalyticsFixture, type ContextOptions } from '../../test/analytics/analytics-fixture';
import { expectShape, SHAPES } from '../../test/analytics/contract-keys';
import { MatomoApiError } from '../errors/matomo-api-error';
import type { AccessLevel } from '../protocol/scopes';
import { cutNote } from './annotations';
import { analyticsMethods } from './index';

type Annotation = components['schemas']['Annotation'];
type BySite = Record<string, Annotation[]>;

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

/** A context whose caller has `level` on every site (the fixture's callers write at least). */
const withLevel = (query: string, login: string, level: AccessLevel, options: ContextOptions = {}) => ({
  ...fixture.context(query, { login, ...options }),
  caller: { login, accessOf: (): AccessLevel => level },
});

const add = (query: string, options: ContextOptions) =>
  analyticsMethods['Annotations.add'].run(fixture.context(query, options));
const getAll = async (query: string, options: ContextOptions) =>
  (await analyticsMethods['Annotations.getAll'].run(fixture.context(query, options))) as BySite;
const remove = (query: string, options: ContextOptions) =>
  analyticsMethods['Annotations.delete'].run(fixture.context(query, options));

describe('Annotations', () => {
  test('add returns the note with Matomo’s fields in Matomo’s order, then getAll shows it', async () => {
    const added = await add('date=2026-11-24&note=Launch&starred=1', as('ann'));
    // plugins/Annotations/tests/System/expected/test_annotations__Annotations.get.xml
    expect(Object.keys(added)).toEqual(['date', 'note', 'starred', 'user', 'idNote', 'canEditOrDelete']);
    expect(added).toEqual({
      date: '2026-11-24',
      note: 'Launch',
      starred: 1,
      user: 'ann',
      idNote: 0,
      canEditOrDelete: true,
    });
    expectShape(added, SHAPES.Annotation);
    const second = await add('date=2026-10-02&note=Price%20change', as('bob'));
    expect(second).toMatchObject({ idNote: 1, starred: 0, user: 'bob' });

    // Ann writes to site 1 (the fixture's callers have write access), so she may edit Bob's note.
    expect(await getAll('', as('ann'))).toEqual({
      '1': [
        {
          date: '2026-10-02',
          note: 'Price change',
          starred: 0,
          user: 'bob',
          idNote: 1,
          canEditOrDelete: true,
        },
        { date: '2026-11-24', note: 'Launch', starred: 1, user: 'ann', idNote: 0, canEditOrDelete: true },
      ],
    });
  });

  test('canEditOrDelete: the author, or write access to the site (AnnotationList::canUserModifyOrDelete)', async () => {
    const view = await analyticsMethods['Annotations.getAll'].run(withLevel('', 'ann', 'view'));
    expect((view as BySite)['1']?.map((note) => [note.user, note.canEditOrDelete])).toEqual([
      ['bob', false],
      ['ann', true],
    ]);
    const write = await analyticsMethods['Annotations.getAll'].run(withLevel('', 'carl', 'write'));
    expect((write as BySite)['1']?.map((note) => note.canEditOrDelete)).toEqual([true, true]);
  });

  test('a note longer than 255 characters is cut to 254 and “…”, as Matomo’s filterNote cuts it', async () => {
    const long = `${'é'.repeat(250)}abcdefghij`; // 260 code points
    const added = await add(`date=2026-11-03&note=${encodeURIComponent(long)}`, as('ann'));
    expect(added.note).toBe(`${'é'.repeat(250)}abcd…`);
    expect([...added.note].length).toBe(255);
    expect(cutNote('x'.repeat(255))).toBe('x'.repeat(255));
    expect(cutNote('x'.repeat(256))).toBe(`${'x'.repeat(254)}…`);
    // Code points, as mb_strlen counts: an emoji is one character.
    expect(cutNote('😀'.repeat(256))).toBe(`${'😀'.repeat(254)}…`);
    await remove(`idNote=${added.idNote}`, as('ann'));
  });

  test('add reads the date as Date::factory does: today and yesterday (UTC), single-digit month and day', async () => {
    // The fixture's now is 2026-11-25T12:00:00Z.
    const today = await add('date=today&note=Today', as('ann', { ids: [2] }));
    expect(today.date).toBe('2026-11-25');
    const yesterday = await add('date=yesterday&note=Yesterday', as('ann', { ids: [2] }));
    expect(yesterday.date).toBe('2026-11-24');
    const short = await add('date=2026-3-7&note=Short', as('ann', { ids: [2] }));
    expect(short.date).toBe('2026-03-07');
  });

  test('getAll omits the sites without notes, and answers [] when none has any', async () => {
    const empty = await fixture.addSite('UTC', 'https://three.example');
    const all = await getAll('', as('ann', { ids: [1, 2, empty] }));
    expect(Object.keys(all)).toEqual(['1', '2']);
    expect(await getAll('', as('ann', { ids: [empty] }))).toEqual([]);
    expect(await getAll('date=2020-01-01&period=day', as('ann', { ids: [1, 2] }))).toEqual([]);
  });

  test('date, period and lastN pick the days as Annotations::getDateRangeForPeriod does', async () => {
    const days = async (query: string) => (await getAll(query, as('ann')))['1']?.map((note) => note.date);
    expect(await days('date=2026-11-24&period=day')).toEqual(['2026-11-24']);
    expect(await days('date=2026-11-24')).toEqual(['2026-11-24']);
    expect(await days('date=2026-11-23&period=day')).toBeUndefined();
    expect(await days('date=2026-11-01&period=month')).toEqual(['2026-11-24']);
    expect(await days('date=2026-11-01&period=month&lastN=2')).toEqual(['2026-10-02', '2026-11-24']);
    // lastN=0 is no lastN (`$lastN == false`).
    expect(await days('date=2026-11-01&period=month&lastN=0')).toEqual(['2026-11-24']);
    // Capped as Range::getMaxN caps it, never refused.
    expect(await days('date=2026-11-01&period=year&lastN=5000')).toEqual(['2026-10-02', '2026-11-24']);
    // period=range ignores lastN.
    expect(await days('date=2026-10-01,2026-11-30&period=range&lastN=50')).toEqual([
      '2026-10-02',
      '2026-11-24',
    ]);
    expect(await days('date=2026-10-03,2026-11-30&period=range&lastN=50')).toEqual(['2026-11-24']);
    // A multiple date with a period covers its own first to last day, not whole periods:
    // the week of 2026-11-23 starts on the 23rd, yet the 24th is outside "2026-11-25,2026-11-30".
    expect(await days('date=2026-11-25,2026-11-30&period=week')).toBeUndefined();
    expect(await days('date=2026-11-24,2026-11-30&period=week')).toEqual(['2026-11-24']);
    // The week of 2026-11-25 (Monday 23rd to Sunday 29th) holds the 24th.
    expect(await days('date=2026-11-25&period=week')).toEqual(['2026-11-24']);
    expect(await days('date=last30&period=range')).toEqual(['2026-11-24']);
    expect(await days('period=day')).toEqual(['2026-10-02', '2026-11-24']);
  });

  test('only the author or a writer of the site may delete; anyone else gets a Matomo error (status 200)', async () => {
    const note = await add('date=2026-11-20&note=Temporary', as('ann'));
    let refused: unknown;
    try {
      await analyticsMethods['Annotations.delete'].run(withLevel(`idNote=${note.idNote}`, 'carl', 'view'));
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(MatomoApiError);
    expect(refused).toMatchObject({
      status: 200,
      message:
        'You cannot modify this annotation, because you did not create it, nor do you have admin access for this site.',
    });
    expect(await remove(`idNote=${note.idNote}`, as('ann'))).toEqual({ result: 'success', message: 'ok' });
    const bob = (await getAll('', as('ada')))['1']?.find((n) => n.user === 'bob');
    expect(await remove(`idNote=${bob?.idNote}`, as('ada'))).toEqual({ result: 'success', message: 'ok' });
    expect((await getAll('', as('ann')))['1']?.map((n) => n.note)).toEqual(['Launch']);
  });

  test('deleting an unknown note is Matomo’s error', async () => {
    await expect(remove('idNote=42', as('ada'))).rejects.toThrow(
      "There is no note with id '42' for site with id '1'.",
    );
  });

  test('bad input', async () => {
    const bad: [string, (query: string, options: ContextOptions) => Promise<unknown>, ContextOptions?][] = [
      ['note=x', add],
      ['date=2026-11-24', add],
      ['date=2026-13-45&note=x', add],
      ['date=notadate&note=x', add],
      ['date=2026-11-24&note=x&starred=yes', add],
      ['date=2026-11-24&note=x', add, { ids: [1, 2] }],
      ['', remove],
      ['idNote=-1', remove],
      ['idNote=abc', remove],
      ['idNote=1', remove, { ids: [1], multiple: true }],
      ['date=2026-11-24&period=decade', getAll],
      ['date=notadate', getAll],
      ['date=2026-11-24&period=day&lastN=-1', getAll],
      ['date=2026-11-24&period=day&lastN=x', getAll],
    ];
    for (const [query, method, options] of bad) {
      await expect(method(query, as('ada', options)), query).rejects.toBeInstanceOf(MatomoApiError);
    }
    // Every required parameter is checked before any is read, as Matomo's API layer does.
    await expect(add('date=notadate', as('ada'))).rejects.toThrow("Please specify a value for 'note'.");
    await expect(add('date=2026-13-45&note=x', as('ada'))).rejects.toThrow(
      "Date format must be: YYYY-MM-DD, or 'today' or 'yesterday' or any keyword supported by the strtotime function (see http://php.net/strtotime for more information): '2026-13-45'",
    );
  });
});
