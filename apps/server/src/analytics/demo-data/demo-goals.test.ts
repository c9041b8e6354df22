import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AnalyticsFixture } from '../../../test/analytics/analytics-fixture';
import type { Db } from '../../db/database';
import { analyticsMethods } from '../index';
import type { ActionToWrite } from '../visit-log.writer';
import { conversionsOf, DEMO_GOALS, type GoalRules } from './demo-goals';
import { generateDemoData } from './generate-demo-data';

const NOW = Date.parse('2026-11-28T15:30:00Z');
const OPTIONS = { now: NOW, visitsPerDay: 60, days: 30 };

async function withSites(): Promise<AnalyticsFixture> {
  const created = await AnalyticsFixture.create();
  await created.addSite('UTC', 'https://site1.example');
  await created.addSite('Asia/Tokyo', 'https://site2.example');
  return created;
}

/** Every visit column but `visit_goal_converted`, and every action, in id order. */
async function checksumWithoutGoals(db: Db): Promise<string> {
  const hash = createHash('sha256');
  for (const row of await db.selectFrom('log_visit').selectAll().orderBy('idvisit').execute()) {
    const { visit_goal_converted: _converted, ...rest } = row;
    hash.update(JSON.stringify(rest));
  }
  for (const row of await db.selectFrom('log_link_visit_action').selectAll().orderBy('idlink_va').execute())
    hash.update(JSON.stringify(row));
  return hash.digest('hex');
}

describe('conversionsOf', () => {
  const page = (idaction: number, second: number, type: ActionToWrite['action_type'] = 'action') => ({
    server_time: second * 1000,
    action_type: type,
    idaction_url: idaction,
    time_spent: 0,
  });
  const rules: GoalRules = new Map([
    [1, [{ idgoal: 1, revenue: 0, allowMultiple: false }]],
    [2, [{ idgoal: 2, revenue: 5, allowMultiple: true }]],
  ]);

  test('a goal converts once per visit unless it allows several, numbered by buster', () => {
    expect(
      conversionsOf([page(1, 1), page(2, 2, 'download'), page(1, 3), page(2, 4, 'download')], rules),
    ).toEqual([
      { idgoal: 1, buster: 0, server_time: 1000, idaction_url: 1, revenue: 0 },
      { idgoal: 2, buster: 0, server_time: 2000, idaction_url: 2, revenue: 5 },
      { idgoal: 2, buster: 1, server_time: 4000, idaction_url: 2, revenue: 5 },
    ]);
  });

  test('events and site searches convert nothing, even on a matching page', () => {
    expect(conversionsOf([page(1, 1, 'event'), page(1, 2, 'search')], rules)).toEqual([]);
    expect(conversionsOf([page(1, 1)], new Map())).toEqual([]);
  });
});

describe('generateDemoData and goals', () => {
  let fixture: AnalyticsFixture;
  beforeAll(async () => {
    fixture = await withSites();
    await generateDemoData(fixture.db, OPTIONS);
  }, 60_000);
  afterAll(() => fixture.destroy());

  test('registers the demo goals on sites without any', async () => {
    const goals = await fixture.db
      .selectFrom('goals')
      .selectAll()
      .orderBy('idsite')
      .orderBy('idgoal')
      .execute();
    expect(goals.map((goal) => [goal.idsite, goal.idgoal, goal.name])).toEqual(
      [1, 2].flatMap((idsite) => DEMO_GOALS.map((goal, index) => [idsite, index + 1, goal.name])),
    );
  });

  test('conversions come from the visit’s actions and match their goal; visit_goal_converted follows them', async () => {
    const conversions = await fixture.db
      .selectFrom('log_conversion as c')
      .innerJoin('log_action as a', 'a.idaction', 'c.idaction_url')
      .select(['c.idvisit', 'c.idgoal', 'c.buster', 'c.revenue', 'c.server_time', 'c.idaction_url', 'a.name'])
      .execute();
    expect(new Set(conversions.map((row) => row.idgoal))).toEqual(new Set([1, 2, 3]));
    for (const row of conversions) {
      const goal = DEMO_GOALS[row.idgoal - 1];
      expect(goal && row.name.includes(goal.pattern)).toBe(true);
      expect(row.revenue).toBe(goal?.revenue);
      if (goal?.allow_multiple === 0) expect(row.buster).toBe(0);
    }
    const action = await fixture.db
      .selectFrom('log_link_visit_action')
      .select('idvisit')
      .where('idvisit', '=', conversions[0]?.idvisit ?? 0)
      .where('idaction_url', '=', conversions[0]?.idaction_url ?? 0)
      .where('server_time', '=', conversions[0]?.server_time ?? 0)
      .executeTakeFirst();
    expect(action).toBeDefined();
    expect(conversions.some((row) => row.buster > 0)).toBe(true);
    const mismatched = await fixture.db
      .selectFrom('log_visit as v')
      .select('v.idvisit')
      .where(
        sql<boolean>`v.visit_goal_converted <> (case when exists (select 1 from log_conversion c where c.idvisit = v.idvisit) then 1 else 0 end)`,
      )
      .execute();
    expect(mismatched).toEqual([]);
  });

  test('the reports see them: Goals.get and VisitsSummary agree on converted visits', async () => {
    const context = fixture.context('period=month&date=today&format_metrics=0', { ids: [1], now: NOW });
    const goals = (await analyticsMethods['Goals.get'].run(context)) as Record<string, number>;
    const summary = (await analyticsMethods['VisitsSummary.get'].run(context)) as Record<string, number>;
    expect(goals.nb_conversions).toBeGreaterThan(goals.nb_visits_converted ?? 0);
    expect(goals.nb_visits_converted).toBe(summary.nb_visits_converted);
    expect(goals.conversion_rate).toBeGreaterThan(0.05);
    expect(goals.conversion_rate).toBeLessThan(0.5);
  });

  test('every other column is what it is without goals (a site whose goals were deleted converts nothing)', async () => {
    const without = await withSites();
    try {
      for (const idsite of [1, 2]) {
        await without.addGoal(idsite, { name: 'Removed', pattern: '/' });
        await without.db.updateTable('goals').set({ deleted: 1 }).where('idsite', '=', idsite).execute();
      }
      await generateDemoData(without.db, OPTIONS);
      const converted = await without.db.selectFrom('log_conversion').select('idvisit').execute();
      expect(converted).toEqual([]);
      expect(await checksumWithoutGoals(without.db)).toBe(await checksumWithoutGoals(fixture.db));
    } finally {
      await without.destroy();
    }
  }, 60_000);

  test('a site with its own goals keeps them, and its visits convert those', async () => {
    const own = await withSites();
    try {
      await own.addGoal(1, { name: 'Docs', pattern: '^https://site1\\.example/docs/', patternType: 'regex' });
      await generateDemoData(own.db, { ...OPTIONS, days: 5 });
      const goals = await own.db
        .selectFrom('goals')
        .select(['idsite', 'name'])
        .where('idsite', '=', 1)
        .execute();
      expect(goals).toEqual([{ idsite: 1, name: 'Docs' }]);
      const names = await own.db
        .selectFrom('log_conversion as c')
        .innerJoin('log_action as a', 'a.idaction', 'c.idaction_url')
        .select('a.name')
        .where('c.idsite', '=', 1)
        .execute();
      expect(names.length).toBeGreaterThan(0);
      expect(names.every((row) => row.name.startsWith('/docs/'))).toBe(true);
    } finally {
      await own.destroy();
    }
  }, 60_000);
});
