import type { Kysely } from 'kysely';
import type { ReferrerType } from '../../db/analytics.schema';
import { bulkLoad, type InTransaction } from '../../db/bulk-load';
import type { Db } from '../../db/database';
import type { Database } from '../../db/schema';
import { invalidateDayArchives } from '../archives/archive-invalidation';
import { formatDay, isoWeekday } from '../calendar';
import { type ActionName, actionKey, ensureActions } from '../log-action.repository';
import { localDayOf, offsetAt, startOfLocalDay } from '../timezone';
import { nextVisitId, VisitLogWriter } from '../visit-log.writer';
import {
  DOWNLOADS,
  ENTRY_PAGES,
  EVENTS,
  HOUR_WEIGHTS,
  OUTLINKS,
  PAGES,
  type Region,
  SITE_SEARCH_KEYWORDS,
  WEEKDAY_FACTORS,
} from './catalog';
import { addDemoGoalsIfNone, loadGoalRules } from './demo-goals';
import { Random, WeightedChoice } from './random';
import { countryChoice, type DayTraits, makeVisit, type SiteCatalog } from './visit-factory';
import { VisitorPool } from './visitor-pool';

/** The demo's default seed: the same seed, `now` and sites always give the same rows. */
export const DEMO_SEED = 20_261_129;

export interface DemoDataOptions {
  /** The end of the data, in ms since the epoch; today (in each site's timezone) is filled up to here. */
  now: number;
  /** Default `DEMO_SEED`. */
  seed?: number;
  /** The sites to fill (their timezone and URL come from `sites`); default every site. */
  idSites?: readonly number[];
  /** Days before today; default 180, so 181 local days with today. */
  days?: number;
  /**
   * Mean visits per day of the first site at the end of the growth trend (the trend starts at
   * half of it); the second site gets 65 % of it, the third 40 %, then again. Default 300.
   * About 256 × this many visits in all for three sites and 180 days.
   */
  visitsPerDay?: number;
  /** Also adds a few annotations by this login to the sites that have none. */
  annotationsBy?: string;
  /** Visits per transaction (each commit lets other writers in). Default 20 000. */
  visitsPerTransaction?: number;
}

export interface DemoDataSummary {
  visits: number;
  actions: number;
  /** Per site id. */
  sites: { [idSite: string]: { visits: number; firstDay: string; lastDay: string } };
}

const SITE_SCALES = [1, 0.65, 0.4];
const hours = new WeightedChoice(HOUR_WEIGHTS.map((weight, hour) => [hour, weight] as const));

/**
 * Replaces the visit logs of the sites with deterministic demo visits: weekly seasonality, a
 * growth trend, a daily cycle in each site's local time, newsletter spikes, search engines,
 * websites, campaigns and social networks, countries by the site's region, devices, browsers,
 * a folder tree of pages, downloads, outlinks, site searches, bounces and returning visitors.
 * Sites without goals get the demo goals (`DEMO_GOALS`); visits convert the site's goals from
 * their actions alone, so the other columns are the same as without goals.
 *
 * Visits are written in multi-row statements inside transactions of `visitsPerTransaction`
 * visits (on PostgreSQL, one transaction, the foreign keys checked once at its end: `bulkLoad`);
 * memory stays bounded (a ring of recent visitors per site, one batch of rows).
 */
export async function generateDemoData(db: Db, options: DemoDataOptions): Promise<DemoDataSummary> {
  const summary: DemoDataSummary = { visits: 0, actions: 0, sites: {} };
  const only = options.idSites;
  if (only?.length === 0) return summary;
  const sites = await db
    .selectFrom('sites')
    .select(['idsite', 'timezone', 'main_url'])
    .$if(only !== undefined, (qb) => qb.where('idsite', 'in', [...(only ?? [])]))
    .orderBy('idsite')
    .execute();
  if (sites.length === 0) return summary;
  const generated = await bulkLoad(
    db,
    ['log_visit', 'log_link_visit_action', 'log_conversion'],
    (inTransaction) => generateInto(inTransaction, sites, options),
  );
  if (options.annotationsBy !== undefined) {
    const days = options.days ?? 180;
    for (const site of sites) {
      const today = localDayOf(options.now, site.timezone);
      await addDemoAnnotations(db, site.idsite, today, days, options.annotationsBy, options.now);
    }
  }
  return generated;
}

async function generateInto(
  inTransaction: InTransaction<Database>,
  sites: readonly SitePlan['site'][],
  options: DemoDataOptions,
): Promise<DemoDataSummary> {
  const seed = options.seed ?? DEMO_SEED;
  const days = options.days ?? 180;
  const visitsPerDay = options.visitsPerDay ?? 300;
  const perTransaction = options.visitsPerTransaction ?? 20_000;
  const now = options.now;
  const summary: DemoDataSummary = { visits: 0, actions: 0, sites: {} };
  const ids = sites.map((site) => site.idsite);
  const { catalogs, firstVisitId } = await inTransaction(async (trx) => {
    await trx.deleteFrom('log_conversion').where('idsite', 'in', ids).execute();
    await trx.deleteFrom('log_link_visit_action').where('idsite', 'in', ids).execute();
    await trx.deleteFrom('log_visit').where('idsite', 'in', ids).execute();
    for (const idsite of ids) await invalidateDayArchives(trx, idsite);
    const catalogs = [];
    for (const site of sites) {
      await addDemoGoalsIfNone(trx, site.idsite);
      catalogs.push(await buildCatalog(trx, site.idsite, site.main_url, regionOf(site.timezone, now)));
    }
    return { catalogs, firstVisitId: await nextVisitId(trx) };
  });

  const plans = sites.map(
    (site, index): SitePlan => ({
      site,
      catalog: catalogs[index] as SiteCatalog,
      pool: new VisitorPool(),
      today: localDayOf(now, site.timezone),
      scale: visitsPerDay * (SITE_SCALES[index % SITE_SCALES.length] ?? 1),
    }),
  );
  for (const plan of plans) {
    summary.sites[String(plan.site.idsite)] = {
      visits: 0,
      firstDay: formatDay(plan.today - days),
      lastDay: formatDay(plan.today),
    };
  }

  const writer = new VisitLogWriter();
  let nextId = firstVisitId;
  let offset = 0;
  while (offset <= days) {
    await inTransaction(async (trx) => {
      const before = writer.visitsWritten;
      // Day by day for every site, so that visit ids grow with time.
      for (; offset <= days && writer.visitsWritten - before < perTransaction; offset++) {
        for (const plan of plans) {
          const day = plan.today - days + offset;
          const random = new Random(`${seed}/${plan.site.idsite}/${day}`);
          const traits: DayTraits = { weekend: isoWeekday(day) >= 6, newsletter: isNewsletterDay(day) };
          const trend = 0.5 + (0.5 * offset) / Math.max(1, days);
          for (const start of visitStarts(random, plan, day, plan.scale * trend, traits, now)) {
            const { visit, actions, conversions } = makeVisit(
              random,
              plan.catalog,
              plan.pool,
              traits,
              start,
              now,
              nextId++,
            );
            await writer.write(trx, visit, actions, conversions);
            const siteSummary = summary.sites[String(plan.site.idsite)];
            if (siteSummary) siteSummary.visits++;
          }
        }
      }
      await writer.flush(trx);
    });
  }
  summary.visits = writer.visitsWritten;
  summary.actions = writer.actionsWritten;
  return summary;
}

interface SitePlan {
  site: { idsite: number; timezone: string; main_url: string };
  catalog: SiteCatalog;
  pool: VisitorPool;
  /** Today in the site's timezone, as a day number. */
  today: number;
  /** Mean visits per day at the end of the trend. */
  scale: number;
}

/** When the visits of a site's local day start, in order, up to now. */
function visitStarts(
  random: Random,
  plan: SitePlan,
  day: number,
  mean: number,
  traits: DayTraits,
  now: number,
): number[] {
  const { timezone } = plan.site;
  const expected = mean * weekdayFactor(day) * (traits.newsletter ? 1.35 : 1);
  const count = Math.max(0, Math.round(random.logNormal(expected, 0.08)));
  const dayStart = startOfLocalDay(day, timezone);
  const daySeconds = (startOfLocalDay(day + 1, timezone) - dayStart) / 1000;
  const starts = Array.from({ length: count }, () => {
    // A 23-hour day (DST) wraps its last hour around rather than piling it up at midnight.
    const second = (hours.pick(random) * 3600 + random.int(3600)) % daySeconds;
    return dayStart + second * 1000;
  }).filter((start) => start <= now);
  if (day === plan.today)
    starts.push(...liveVisits(random, starts, Math.max(dayStart, now - LIVE_WINDOW_MS), now));
  return starts.sort((a, b) => a - b);
}

/** However early in the site's day, a demo always has someone on the site right now. */
const LIVE_WINDOW_MS = 30 * 60_000;

/** One to three more visits in the last minutes before now, unless some already started there. */
function liveVisits(random: Random, starts: readonly number[], from: number, now: number): number[] {
  if (starts.some((start) => start >= from)) return [];
  return Array.from(
    { length: 1 + random.int(3) },
    () => from + Math.floor((random.next() * (now - from)) / 1000) * 1000,
  );
}

/** The first Tuesday of every month. */
function isNewsletterDay(day: number): boolean {
  const date = new Date(day * 86_400_000);
  return isoWeekday(day) === 2 && date.getUTCDate() <= 7;
}

function weekdayFactor(day: number): number {
  return WEEKDAY_FACTORS[isoWeekday(day) - 1] ?? 1;
}

/** Audiences follow the site's timezone: far east, the Americas, or Europe and the rest. */
function regionOf(timezone: string, now: number): Region {
  const hoursAhead = offsetAt(now, timezone) / 3_600_000;
  if (hoursAhead >= 5) return 'asia';
  if (hoursAhead <= -3) return 'americas';
  return 'europe';
}

async function buildCatalog(
  db: Kysely<Database>,
  idsite: number,
  mainUrl: string,
  region: Region,
): Promise<SiteCatalog> {
  const base = mainUrl.replace(/\/+$/, '');
  const names: ActionName[] = [
    ...PAGES.map(({ path, title }) => ({ type: 'page' as const, name: path, title })),
    ...DOWNLOADS.map(([path]) => ({ type: 'download' as const, name: `${base}${path}` })),
    ...OUTLINKS.map(([url]) => ({ type: 'outlink' as const, name: url })),
    ...SITE_SEARCH_KEYWORDS.map(([keyword]) => ({ type: 'search' as const, name: keyword })),
    ...EVENTS.flatMap(([category, action, name]) => [
      { type: 'event_category' as const, name: category },
      { type: 'event_action' as const, name: action },
      ...(name === null ? [] : [{ type: 'event_name' as const, name }]),
    ]),
  ];
  const ids = await ensureActions(db, names);
  const id = (type: ActionName['type'], name: string): number => {
    const found = ids.get(actionKey(type, name));
    if (found === undefined) throw new Error(`demo action ${type} ${name} is missing`);
    return found;
  };
  const goals = await loadGoalRules(
    db,
    idsite,
    base,
    names.map((name) => ({ ...name, idaction: id(name.type, name.name) })),
  );
  const entryPages = Object.fromEntries(
    Object.entries(ENTRY_PAGES).map(([type, pages]) => [
      type,
      new WeightedChoice(pages.map(([path, weight]) => [id('page', path), weight] as const)),
    ]),
  ) as Record<ReferrerType, WeightedChoice<number>>;
  return {
    idsite,
    region,
    pages: new WeightedChoice(PAGES.map(({ path, weight }) => [id('page', path), weight] as const)),
    entryPages,
    downloads: new WeightedChoice(
      DOWNLOADS.map(([path, weight]) => [id('download', `${base}${path}`), weight] as const),
    ),
    outlinks: new WeightedChoice(OUTLINKS.map(([url, weight]) => [id('outlink', url), weight] as const)),
    searches: new WeightedChoice(
      SITE_SEARCH_KEYWORDS.map(([keyword, weight]) => [id('search', keyword), weight] as const),
    ),
    events: new WeightedChoice(
      EVENTS.map(
        ([category, action, name, value, weight]) =>
          [
            {
              category: id('event_category', category),
              action: id('event_action', action),
              name: name === null ? null : id('event_name', name),
              value,
            },
            weight,
          ] as const,
      ),
    ),
    countries: countryChoice(region),
    goals,
  };
}

async function addDemoAnnotations(
  db: Db,
  idsite: number,
  today: number,
  days: number,
  login: string,
  now: number,
): Promise<void> {
  const existing = await db
    .selectFrom('annotations')
    .select('idnote')
    .where('idsite', '=', idsite)
    .executeTakeFirst();
  if (existing) return;
  const notes: { day: number; note: string; starred: 0 | 1 }[] = [
    { day: today - days + 30, note: 'Launched OAuth 2.0 sign-in', starred: 1 },
    { day: today - days + 95, note: 'Pricing page redesign', starred: 0 },
    { day: today - 10, note: 'Published the TypeScript SDK', starred: 1 },
  ];
  for (let day = today - days; day <= today; day++) {
    if (isNewsletterDay(day)) notes.push({ day, note: 'Newsletter sent', starred: 0 });
  }
  notes.sort((a, b) => a.day - b.day);
  await db
    .insertInto('annotations')
    .values(
      notes.map((entry, idnote) => ({
        idsite,
        idnote,
        date: formatDay(entry.day),
        note: entry.note,
        starred: entry.starred,
        user_login: login,
        created_at: now,
      })),
    )
    .execute();
}
