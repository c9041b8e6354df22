import { join } from 'node:path';
import { makeTempDir } from '@matomo-oauth2/testing';
import { afterAll, beforeAll } from 'vitest';
import type { AnalyticsContext } from '../../src/analytics/context';
import { type ActionName, actionKey, ensureActions } from '../../src/analytics/log-action.repository';
import {
  type ActionToWrite,
  type ConversionToWrite,
  nextVisitId,
  VisitLogWriter,
} from '../../src/analytics/visit-log.writer';
import type { DeviceType, GoalMatchAttribute, ReferrerType } from '../../src/db/analytics.schema';
import { type Db, migrateToLatest } from '../../src/db/database';
import { Params } from '../../src/http/params';
import { openTestDb } from '../support/database-under-test';

/** One action of a hand-written visit, at an ISO instant. */
export type ActionSpec = { at: string } & (
  | { page: string; title?: string }
  | { download: string }
  | { outlink: string }
  | { search: string }
);

/**
 * A Matomo event of a hand-written visit, at an ISO instant after its first page view: it
 * happens on the last page viewed before it and counts as an action of the visit (Matomo's
 * `visit_total_actions`); one after the visit's last action also ends the visit later (its
 * last action time and total time), but changes no exit page.
 */
export interface EventSpec {
  at: string;
  category: string;
  action: string;
  name?: string;
  value?: number;
}

export interface VisitSpec {
  idsite: number;
  visitor: string;
  actions: ActionSpec[];
  events?: EventSpec[];
  referrer?: { type: ReferrerType; name?: string; keyword?: string; url?: string };
  country?: string;
  device?: DeviceType;
  browser?: string;
  os?: string;
  /** The visitor's visit number; 1 (a new visitor) by default. */
  visitCount?: number;
  /** `config_resolution`; Matomo's `unknown` by default. */
  resolution?: string;
  /** `location_browser_lang`; Matomo's `xx` by default. */
  language?: string;
  city?: string;
  /** ISO 3166-2 subdivision code without the country. */
  region?: string;
  /** `visitor_localtime`, `HH:MM:SS`. */
  localTime?: string;
  /** Goal conversions; a goal converted twice in the visit gets busters 0 and 1. */
  conversions?: ConversionSpec[];
}

/** A goal conversion of a hand-written visit, at an ISO instant, on a page of the visit (or manual). */
export interface ConversionSpec {
  goal: number;
  at: string;
  /** The goal's default revenue unless given. */
  revenue?: number;
  /** A page path of the visit that converted; none for a manual conversion. */
  page?: string;
}

/** A goal as `addGoal` takes it; Matomo's defaults for what is left out. */
export interface GoalSpec {
  name: string;
  matchAttribute?: GoalMatchAttribute;
  pattern?: string;
  patternType?: string;
  revenue?: number;
  allowMultiple?: boolean;
  caseSensitive?: boolean;
  description?: string;
}

/** A real SQLite file in a temp directory, migrated, with helpers to add sites and visits. */
export class AnalyticsFixture {
  #db: Db | undefined;
  #temp: ReturnType<typeof makeTempDir> | undefined;

  /** The database (a SQLite file in a temp directory, or a PostgreSQL schema); open once `create` or the `beforeAll` of `forTests` ran. */
  get db(): Db {
    if (this.#db === undefined) throw new Error('The analytics fixture is not open yet');
    return this.#db;
  }

  /** The fixture's helpers on a database opened elsewhere (a test server's); `destroy` leaves it open. */
  static on(db: Db): AnalyticsFixture {
    const fixture = new AnalyticsFixture();
    fixture.#db = db;
    return fixture;
  }

  private async open(): Promise<void> {
    this.#temp = makeTempDir('matomo-analytics-');
    this.#db = await openTestDb(join(this.#temp.dir, 'analytics.sqlite'));
    await migrateToLatest(this.#db);
  }

  static async create(): Promise<AnalyticsFixture> {
    const fixture = new AnalyticsFixture();
    await fixture.open();
    return fixture;
  }

  /**
   * A fixture for the tests of one file: created at once, migrated (then `setup` run on it)
   * before the file's tests, destroyed after them.
   */
  static forTests(setup?: (fixture: AnalyticsFixture) => Promise<void>): AnalyticsFixture {
    const fixture = new AnalyticsFixture();
    beforeAll(async () => {
      await fixture.open();
      await setup?.(fixture);
    });
    afterAll(() => fixture.destroy());
    return fixture;
  }

  async destroy(): Promise<void> {
    if (this.#temp === undefined) return;
    await this.#db?.destroy();
    this.#temp.remove();
  }

  async addSite(timezone: string, mainUrl: string): Promise<number> {
    const inserted = await this.db
      .insertInto('sites')
      .values({
        name: mainUrl,
        main_url: mainUrl,
        urls: JSON.stringify([mainUrl]),
        ts_created: Date.UTC(2020, 0, 1),
        timezone,
        currency: 'EUR',
        creator_login: 'admin',
      })
      .returning('idsite')
      .executeTakeFirstOrThrow();
    return inserted.idsite;
  }

  /** Adds a goal to a site; returns its `idgoal` (1, 2, … per site, as Matomo numbers them). */
  async addGoal(idsite: number, goal: GoalSpec): Promise<number> {
    const last = await this.db
      .selectFrom('goals')
      .select((eb) => eb.fn.max('idgoal').as('max'))
      .where('idsite', '=', idsite)
      .executeTakeFirst();
    const idgoal = Number(last?.max ?? 0) + 1;
    await this.db
      .insertInto('goals')
      .values({
        idsite,
        idgoal,
        name: goal.name,
        description: goal.description ?? '',
        match_attribute: goal.matchAttribute ?? 'url',
        pattern: goal.pattern ?? '',
        pattern_type: goal.patternType ?? 'contains',
        case_sensitive: goal.caseSensitive ? 1 : 0,
        allow_multiple: goal.allowMultiple ? 1 : 0,
        revenue: goal.revenue ?? 0,
        event_value_as_revenue: 0,
        deleted: 0,
      })
      .execute();
    return idgoal;
  }

  /** Records visits; returns their ids in order. */
  async record(...visits: VisitSpec[]): Promise<number[]> {
    return this.db.transaction().execute(async (trx) => {
      const names: ActionName[] = visits.flatMap((visit) => [
        ...visit.actions.map(actionNameOf),
        ...(visit.events ?? []).flatMap(eventNamesOf),
      ]);
      const ids = await ensureActions(trx, names);
      const writer = new VisitLogWriter();
      let idvisit = await nextVisitId(trx);
      const written: number[] = [];
      for (const visit of visits) {
        const actions: ActionToWrite[] = visit.actions.map((spec, index) => {
          const name = actionNameOf(spec);
          const id = ids.get(actionKey(name.type, name.name));
          if (id === undefined) throw new Error(`no id for ${name.name}`);
          const next = visit.actions[index + 1];
          const time = Date.parse(spec.at);
          return {
            server_time: time,
            action_type: name.type === 'page' ? 'action' : (name.type as ActionToWrite['action_type']),
            idaction_url: id,
            time_spent: next ? Math.round((Date.parse(next.at) - time) / 1000) : 0,
          };
        });
        const pages = actions.filter((action) => action.action_type === 'action');
        const visitCount = visit.visitCount ?? 1;
        const events = (visit.events ?? []).map((spec) => eventToWrite(spec, actions, ids));
        const all = withEvents(actions, events);
        const first = all[0];
        const last = all[all.length - 1];
        if (!first || !last) throw new Error('a visit needs an action');
        const conversions = await conversionsToWrite(trx, visit, ids);
        // The visitor's earlier visits are read back from the log: write those of this call first.
        await writer.flush(trx);
        const since = await secondsSince(trx, visit, first.server_time);
        await writer.write(
          trx,
          {
            idvisit,
            idsite: visit.idsite,
            visitor_id: visit.visitor,
            visit_first_action_time: first.server_time,
            visit_last_action_time: last.server_time,
            visit_total_actions: all.length,
            visit_total_time: Math.round((last.server_time - first.server_time) / 1000),
            visitor_returning: visitCount > 1 ? 1 : 0,
            visitor_count_visits: visitCount,
            referrer_type: visit.referrer?.type ?? 'direct',
            referrer_name: visit.referrer?.name ?? null,
            referrer_keyword: visit.referrer?.keyword ?? null,
            referrer_url: visit.referrer?.url ?? null,
            location_country: visit.country ?? 'xx',
            device_type: visit.device ?? 'Desktop',
            browser_name: visit.browser ?? 'Firefox',
            os_name: visit.os ?? 'GNU/Linux',
            location_ip: '198.51.100.0',
            entry_idaction_url: pages[0]?.idaction_url ?? null,
            exit_idaction_url: pages[pages.length - 1]?.idaction_url ?? null,
            config_resolution: visit.resolution ?? 'unknown',
            location_browser_lang: visit.language ?? 'xx',
            location_city: visit.city ?? null,
            location_region: visit.region ?? null,
            visitor_localtime: visit.localTime ?? null,
            visitor_seconds_since_last: since.last,
            visitor_seconds_since_first: since.first,
          },
          all,
          conversions,
        );
        written.push(idvisit++);
      }
      await writer.flush(trx);
      return written;
    });
  }

  /** The id of a page or folder path in `log_action`. */
  async actionId(type: 'page' | 'folder', name: string): Promise<number> {
    const row = await this.db
      .selectFrom('log_action')
      .select('idaction')
      .where('type', '=', type)
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    return row.idaction;
  }

  /** A context for one analytics call. */
  context(query: string, options: ContextOptions = {}): AnalyticsContext {
    const ids = options.ids ?? [1];
    const adminOf = options.adminOf ?? (() => true);
    const caller: AnalyticsContext['caller'] = {
      login: options.login ?? 'admin',
      accessOf: (idSite) => (adminOf(idSite) ? 'admin' : 'write'),
    };
    return {
      db: this.db,
      now: () => options.now ?? Date.parse('2026-11-25T12:00:00Z'),
      sites: { ids, multiple: options.multiple ?? ids.length > 1 },
      params: Params.parse(query),
      caller,
    };
  }
}

export interface ContextOptions {
  ids?: number[];
  multiple?: boolean;
  /** ISO instant or ms; default 2026-11-25T12:00:00Z (a Wednesday). */
  now?: number;
  login?: string;
  adminOf?: (idSite: number) => boolean;
}

/**
 * Matomo's tracker values (VisitorSecondsSinceLast, VisitorSecondsSinceFirst) from the visitor's
 * latest visit recorded in the site: none, a new visitor, 0 and 0 (or unknown, null, for a
 * `visitCount` above 1); else the whole seconds since that visit's start, and its own seconds
 * since the first plus the same, each null when unknown or negative (a visit in the past).
 */
async function secondsSince(
  db: Db,
  visit: VisitSpec,
  start: number,
): Promise<{ last: number | null; first: number | null }> {
  const previous = await db
    .selectFrom('log_visit')
    .select(['visit_first_action_time', 'visitor_seconds_since_first'])
    .where('idsite', '=', visit.idsite)
    .where('visitor_id', '=', visit.visitor)
    .orderBy('visit_last_action_time', 'desc')
    .orderBy('idvisit', 'desc')
    .executeTakeFirst();
  if (!previous) return (visit.visitCount ?? 1) > 1 ? { last: null, first: null } : { last: 0, first: 0 };
  const gap = Math.floor(start / 1000) - Math.floor(previous.visit_first_action_time / 1000);
  const first =
    previous.visitor_seconds_since_first === null ? -1 : previous.visitor_seconds_since_first + gap;
  return { last: gap < 0 ? null : gap, first: first < 0 ? null : first };
}

async function conversionsToWrite(
  db: Db,
  visit: VisitSpec,
  ids: ReadonlyMap<string, number>,
): Promise<ConversionToWrite[]> {
  const busters = new Map<number, number>();
  const written: ConversionToWrite[] = [];
  for (const spec of visit.conversions ?? []) {
    const goal = await db
      .selectFrom('goals')
      .select('revenue')
      .where('idsite', '=', visit.idsite)
      .where('idgoal', '=', spec.goal)
      .executeTakeFirstOrThrow();
    const buster = busters.get(spec.goal) ?? 0;
    busters.set(spec.goal, buster + 1);
    const page = spec.page === undefined ? null : ids.get(actionKey('page', spec.page));
    if (page === undefined) throw new Error(`no page ${spec.page} in the visit`);
    written.push({
      idgoal: spec.goal,
      buster,
      server_time: Date.parse(spec.at),
      idaction_url: page,
      revenue: spec.revenue ?? goal.revenue,
    });
  }
  return written;
}

function eventNamesOf(spec: EventSpec): ActionName[] {
  return [
    { type: 'event_category', name: spec.category },
    { type: 'event_action', name: spec.action },
    ...(spec.name === undefined ? [] : [{ type: 'event_name' as const, name: spec.name }]),
  ];
}

function eventToWrite(
  spec: EventSpec,
  actions: readonly ActionToWrite[],
  ids: ReadonlyMap<string, number>,
): ActionToWrite {
  const time = Date.parse(spec.at);
  const id = (type: ActionName['type'], name: string): number => {
    const found = ids.get(actionKey(type, name));
    if (found === undefined) throw new Error(`no id for ${name}`);
    return found;
  };
  const page = actions
    .filter((action) => action.action_type === 'action' && action.server_time <= time)
    .pop();
  if (!page) throw new Error(`no page view before the event at ${spec.at}`);
  return {
    server_time: time,
    action_type: 'event',
    idaction_url: page.idaction_url,
    time_spent: 0,
    event: {
      category: id('event_category', spec.category),
      action: id('event_action', spec.action),
      name: spec.name === undefined ? null : id('event_name', spec.name),
      value: spec.value ?? null,
    },
  };
}

/** The visit's actions with its events after the actions of the same or an earlier time. */
function withEvents(actions: readonly ActionToWrite[], events: readonly ActionToWrite[]): ActionToWrite[] {
  const merged = [...actions];
  for (const event of events) {
    const index = merged.findIndex((action) => action.server_time > event.server_time);
    merged.splice(index === -1 ? merged.length : index, 0, event);
  }
  return merged;
}

function actionNameOf(spec: ActionSpec): ActionName {
  if ('page' in spec)
    return { type: 'page', name: spec.page, ...(spec.title === undefined ? {} : { title: spec.title }) };
  if ('download' in spec) return { type: 'download', name: spec.download };
  if ('outlink' in spec) return { type: 'outlink', name: spec.outlink };
  return { type: 'search', name: spec.search };
}
