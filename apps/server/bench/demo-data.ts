/**
 * Measures the demo generator and a few reports on a fresh database, by hand (not a test: no
 * timing is ever asserted). From apps/server:
 *
 *   npx tsx bench/demo-data.ts            # the default size
 *   npx tsx bench/demo-data.ts 3900       # visitsPerDay: about 1M visits
 *
 * Set BENCH_DB=/path/file.sqlite to keep the database (and reuse it with BENCH_REUSE=1).
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyticsMethods } from '../src/analytics';
import type { AnalyticsContext, AnalyticsMethodName } from '../src/analytics/context';
import { generateDemoData } from '../src/analytics/demo-data/generate-demo-data';
import { migrateToLatest, openDatabase } from '../src/db/database';
import { Params } from '../src/http/params';

const NOW = Date.UTC(2026, 10, 28, 15, 30);

async function main(): Promise<void> {
  const visitsPerDay = process.argv[2] ? Number(process.argv[2]) : undefined;
  const file = process.env.BENCH_DB ?? join(tmpdir(), `analytics-bench-${process.pid}.sqlite`);
  const reuse = process.env.BENCH_REUSE === '1';
  if (!reuse) for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  const db = openDatabase(file);
  try {
    await migrateToLatest(db);
    if (!reuse) {
      await db
        .insertInto('users')
        .values({
          login: 'demo',
          email: 'demo@example.org',
          password_hash: 'x',
          superuser: 1,
          created_at: NOW,
        })
        .execute();
      const zones = ['UTC', 'Asia/Tokyo', 'America/Los_Angeles'];
      await db
        .insertInto('sites')
        .values(
          zones.map((timezone, index) => ({
            name: `Site ${index + 1}`,
            main_url: `https://site${index + 1}.example`,
            urls: '[]',
            ts_created: NOW,
            timezone,
            currency: 'EUR',
            creator_login: 'demo',
          })),
        )
        .execute();
      const heapBefore = process.memoryUsage().rss;
      const started = performance.now();
      const summary = await generateDemoData(db, { now: NOW, visitsPerDay, annotationsBy: 'demo' });
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `generated ${summary.visits} visits and ${summary.actions} actions in ${seconds.toFixed(1)} s ` +
          `(${Math.round(summary.visits / seconds)} visits/s); rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB ` +
          `(was ${(heapBefore / 1e6).toFixed(0)} MB)`,
      );
    }
    const cases: [AnalyticsMethodName, string, boolean][] = [
      ['VisitsSummary.get', 'period=day&date=today', false],
      ['VisitsSummary.get', 'period=day&date=last30', false],
      ['VisitsSummary.get', 'period=month&date=last6', false],
      ['VisitsSummary.get', 'period=range&date=last180', false],
      ['VisitsSummary.get', 'period=day&date=last30', true],
      ['Actions.get', 'period=month&date=last6', false],
      ['Actions.getPageUrls', 'period=month&date=today', false],
      ['Actions.getPageUrls', 'period=range&date=last180&expanded=1', false],
      ['Referrers.getReferrerType', 'period=week&date=last26&expanded=1', false],
      ['UserCountry.getCountry', 'period=month&date=today', false],
      ['UserCountry.getCountry', 'period=year&date=today', false],
      ['Actions.getPageUrls', 'period=year&date=today&flat=1', false],
      ['DevicesDetection.getType', 'period=day&date=last180', false],
      ['Live.getLastVisitsDetails', 'filter_limit=100', true],
      ['Live.getCounters', 'lastMinutes=30', false],
    ];
    for (const [method, query, allSites] of cases) {
      const context: AnalyticsContext = {
        db,
        now: () => NOW,
        sites: allSites ? { ids: [1, 2, 3], multiple: true } : { ids: [1], multiple: false },
        params: Params.parse(query),
        caller: { login: 'demo', accessOf: () => 'admin' },
      };
      const started = performance.now();
      const result = await analyticsMethods[method].run(context);
      const ms = performance.now() - started;
      const size = JSON.stringify(result).length;
      console.log(`${method} ${query}${allSites ? ' (3 sites)' : ''}: ${ms.toFixed(0)} ms, ${size} bytes`);
    }
  } finally {
    await db.destroy();
    if (!process.env.BENCH_DB)
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
}

await main();
