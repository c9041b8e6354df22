import { describe, expect, test } from 'vitest';
import type { ContextOptions } from '../../test/analytics/analytics-fixture';
import { useHandBuiltDataset } from '../../test/analytics/hand-built-dataset';
import { analyticsMethods } from './index';
import { phpUrlEncode } from './php-url-encode';

// Expected values are read off the visits listed in test/analytics/hand-built-dataset.ts.
const { fixture } = useHandBuiltDataset();

function getAll(query: string, options?: ContextOptions): Promise<unknown> {
  return analyticsMethods['Referrers.getAll'].run(fixture.context(query, options));
}

/** A day row's visit metrics, in Matomo's order (no user ids nor conversions in the dataset). */
const metrics = (
  nb_uniq_visitors: number,
  nb_visits: number,
  nb_actions: number,
  max_actions: number,
  sum_visit_length: number,
  bounce_count: number,
) => ({
  nb_uniq_visitors,
  nb_visits,
  nb_actions,
  nb_users: 0,
  max_actions,
  sum_visit_length,
  bounce_count,
  nb_visits_converted: 0,
});

/** A week's, month's, year's or range's: unique visitors are the sum of each day's (`sum_daily_*`). */
const sums = (
  sum_daily_nb_uniq_visitors: number,
  nb_visits: number,
  nb_actions: number,
  max_actions: number,
  sum_visit_length: number,
  bounce_count: number,
) => ({
  nb_visits,
  nb_actions,
  max_actions,
  sum_visit_length,
  bounce_count,
  nb_visits_converted: 0,
  sum_daily_nb_uniq_visitors,
  sum_daily_nb_users: 0,
});

const twitter = {
  label: 'Twitter',
  ...sums(1, 1, 3, 3, 60, 0),
  segment: 'referrerType==social;referrerName==Twitter',
  url: 'twitter.com',
  logo: 'plugins/Morpheus/icons/dist/socials/twitter.com.png',
  referer_type: 7,
};
const matomoKeyword = {
  label: 'matomo',
  ...sums(1, 1, 7, 7, 90, 0),
  segment: 'referrerType==search;referrerKeyword==matomo',
  referer_type: 2,
};
const newsletter = {
  label: 'newsletter',
  ...sums(1, 1, 1, 1, 0, 1),
  segment: 'referrerType==campaign;referrerName==newsletter',
  referer_type: 6,
};

describe('Referrers.getAll', () => {
  test('search keywords, websites, campaigns and networks in one table, without direct entries', async () => {
    // November, site 1: v1 (Google, "matomo"), v3 (Twitter), v4 (newsletter), v5 (github.com); v2 is direct.
    expect(await getAll('period=month&date=today')).toEqual([
      twitter,
      {
        label: 'github.com',
        ...sums(1, 1, 3, 3, 300, 0),
        segment: 'referrerName==github.com',
        referer_type: 3,
      },
      matomoKeyword,
      newsletter,
    ]);
  });

  test('a segment keeps its visits; a period without visits is empty', async () => {
    expect(await getAll('period=week&date=today&segment=referrerType==search')).toEqual([matomoKeyword]);
    expect(await getAll('period=day&date=2026-11-26')).toEqual([]);
  });

  test("a search without keyword is Matomo's 'Keyword not defined'; labels are urlencoded in segments", async () => {
    await fixture.record(
      {
        idsite: 1,
        visitor: '9999999999999999',
        referrer: { type: 'search', name: 'Bing' },
        actions: [{ at: '2026-06-10T10:00:00Z', page: '/' }],
      },
      {
        idsite: 1,
        visitor: '9999999999999999',
        referrer: { type: 'campaign', name: 'spring sale!' },
        actions: [{ at: '2026-06-10T12:00:00Z', page: '/' }],
      },
    );
    expect(await getAll('period=day&date=2026-06-10')).toEqual([
      {
        label: 'Keyword not defined',
        ...metrics(1, 1, 1, 1, 0, 1),
        segment: 'referrerType==search;referrerKeyword==',
        referer_type: 2,
      },
      {
        label: 'spring sale!',
        ...metrics(1, 1, 1, 1, 0, 1),
        segment: 'referrerType==campaign;referrerName==spring+sale%21',
        referer_type: 6,
      },
    ]);
  });

  test("several sites or dates are Matomo's errors", async () => {
    await expect(getAll('period=day&date=today', { ids: [1, 2] })).rejects.toThrow(
      'Referrers.getAll with multiple sites is not supported (yet).',
    );
    await expect(getAll('idSite=all&period=day&date=today', { ids: [1], multiple: true })).rejects.toThrow(
      'Referrers.getAll with multiple sites is not supported (yet).',
    );
    await expect(getAll('period=day&date=last2')).rejects.toThrow(
      'Referrers.getAll with multiple sites or dates is not supported (yet).',
    );
  });
});

describe('phpUrlEncode', () => {
  test("encodes as PHP's urlencode", () => {
    // Values from PHP: urlencode("Yahoo!") and urlencode("a b~c*(d)'").
    expect(phpUrlEncode('Yahoo!')).toBe('Yahoo%21');
    expect(phpUrlEncode("a b~c*(d)'")).toBe('a+b%7Ec%2A%28d%29%27');
    expect(phpUrlEncode('münchen.de/x-y_z')).toBe('m%C3%BCnchen.de%2Fx-y_z');
  });
});
