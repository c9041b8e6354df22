import type { Kysely } from 'kysely';
import type { ActionType, LogVisitTable } from '../db/analytics.schema';
import type { Flag } from '../db/columns';
import type { Database } from '../db/schema';
import { invalidateDayArchives } from './archives/archive-invalidation';
import { BatchInsert } from './batch-insert';

/** A visit with every column set, its id included (bulk loads choose ids so that actions can refer to them). */
export type VisitToWrite = {
  [K in Exclude<keyof LogVisitTable, OptionalVisitColumn>]: K extends 'idvisit' ? number : LogVisitTable[K];
} & {
  /** Set by `VisitLogWriter.write` from the visit's conversions. */
  visit_goal_converted?: Flag;
} & Partial<Pick<LogVisitTable, Exclude<OptionalVisitColumn, 'visit_goal_converted'>>>;

/**
 * Columns a visit may leave out: the conversions set one; the coordinates and the seconds since
 * the visitor's previous and first visits are null (unknown) when left out.
 */
type OptionalVisitColumn =
  | 'visit_goal_converted'
  | 'location_latitude'
  | 'location_longitude'
  | 'visitor_seconds_since_last'
  | 'visitor_seconds_since_first';

/** One action of a visit; the visit's id, site and visitor are copied in. */
export interface ActionToWrite {
  server_time: number;
  action_type: ActionType;
  idaction_url: number;
  time_spent: number;
  /** An event's category, action, name and value (`action_type` `event` only). */
  event?: ActionEvent;
}

/** The `log_action` ids of an event and its value. */
export interface ActionEvent {
  category: number;
  action: number;
  name: number | null;
  value: number | null;
}

const VISIT_COLUMNS = [
  'idvisit',
  'idsite',
  'visitor_id',
  'visit_first_action_time',
  'visit_last_action_time',
  'visit_total_actions',
  'visit_total_time',
  'visitor_returning',
  'visitor_count_visits',
  'referrer_type',
  'referrer_name',
  'referrer_keyword',
  'referrer_url',
  'location_country',
  'device_type',
  'browser_name',
  'os_name',
  'location_ip',
  'entry_idaction_url',
  'exit_idaction_url',
  'config_resolution',
  'location_browser_lang',
  'location_city',
  'location_region',
  'visitor_localtime',
  'location_latitude',
  'location_longitude',
  'visit_goal_converted',
  'visitor_seconds_since_last',
  'visitor_seconds_since_first',
] as const satisfies readonly (keyof LogVisitTable)[];

const ACTION_COLUMNS = [
  'idvisit',
  'idsite',
  'visitor_id',
  'server_time',
  'action_type',
  'idaction_url',
  'time_spent',
  'idaction_event_category',
  'idaction_event_action',
  'idaction_name',
  'custom_float',
] as const;

const CONVERSION_COLUMNS = [
  'idvisit',
  'idsite',
  'idgoal',
  'buster',
  'server_time',
  'idaction_url',
  'revenue',
] as const;

/** One goal conversion of a visit; the visit's id and site are copied in. */
export interface ConversionToWrite {
  idgoal: number;
  /** 0 for a goal's first conversion in the visit, then 1, 2, … (goals that allow several). */
  buster: number;
  server_time: number;
  /** The page, download or outlink that converted; null for a manual conversion. */
  idaction_url: number | null;
  revenue: number;
}

function realText(value: number | null | undefined): string | null {
  return value == null ? null : String(value);
}

/**
 * Writes visits and their actions in multi-row statements. Visits are flushed before actions so
 * that foreign keys hold; call `flush` before the transaction ends.
 */
export class VisitLogWriter {
  readonly #visits = new BatchInsert('log_visit', VISIT_COLUMNS);
  readonly #actions = new BatchInsert('log_link_visit_action', ACTION_COLUMNS);
  readonly #conversions = new BatchInsert('log_conversion', CONVERSION_COLUMNS);
  visitsWritten = 0;
  actionsWritten = 0;
  /** Per site, the first and last instants written since the last `flush`: their day archives go. */
  readonly #touched = new Map<number, { from: number; to: number }>();

  #touch(idsite: number, instant: number): void {
    const span = this.#touched.get(idsite);
    if (!span) this.#touched.set(idsite, { from: instant, to: instant });
    else {
      span.from = Math.min(span.from, instant);
      span.to = Math.max(span.to, instant);
    }
  }

  /** Queues a visit with its actions and conversions; `visit_goal_converted` follows the conversions. */
  async write(
    db: Kysely<Database>,
    visit: VisitToWrite,
    actions: readonly ActionToWrite[],
    conversions: readonly ConversionToWrite[] = [],
  ): Promise<void> {
    const converted = {
      ...visit,
      // As for event values: text that the REAL columns store as numbers.
      location_latitude: realText(visit.location_latitude),
      location_longitude: realText(visit.location_longitude),
      visit_goal_converted: conversions.length > 0 ? 1 : 0,
      visitor_seconds_since_last: visit.visitor_seconds_since_last ?? null,
      visitor_seconds_since_first: visit.visitor_seconds_since_first ?? null,
    };
    this.#visits.add(VISIT_COLUMNS.map((column) => converted[column]));
    for (const conversion of conversions) {
      this.#conversions.add([
        visit.idvisit,
        visit.idsite,
        conversion.idgoal,
        conversion.buster,
        conversion.server_time,
        conversion.idaction_url,
        // As for event values: text that the REAL column stores as a number.
        String(conversion.revenue),
      ]);
    }
    for (const action of actions) {
      this.#actions.add([
        visit.idvisit,
        visit.idsite,
        visit.visitor_id,
        action.server_time,
        action.action_type,
        action.idaction_url,
        action.time_spent,
        action.event?.category ?? null,
        action.event?.action ?? null,
        action.event?.name ?? null,
        // Batched literals are integers or text: the column's REAL affinity stores this text as a number.
        action.event?.value == null ? null : String(action.event.value),
      ]);
    }
    this.#touch(visit.idsite, visit.visit_first_action_time);
    this.#touch(visit.idsite, visit.visit_last_action_time);
    for (const { server_time } of [...actions, ...conversions]) this.#touch(visit.idsite, server_time);
    this.visitsWritten++;
    this.actionsWritten += actions.length;
    // Actions refer to their visit: visits always reach the database first.
    const dependentsFull = this.#actions.isFull || this.#conversions.isFull;
    if (this.#visits.isFull || dependentsFull) await this.#send(this.#visits, db);
    if (this.#actions.isFull) await this.#send(this.#actions, db);
    if (this.#conversions.isFull) await this.#send(this.#conversions, db);
  }

  /**
   * Sends a batch without waiting for it, up to `MAX_IN_FLIGHT` at once: the database (another
   * process for PostgreSQL, the thread pool for SQLite) writes one batch while the next is being
   * made. Only in a transaction, whose statements run one at a time in the order sent: outside
   * one, a pool could run a batch of actions before the batch of their visits.
   */
  async #send(batch: BatchInsert, db: Kysely<Database>): Promise<void> {
    if (!db.isTransaction) return batch.flush(db);
    const sent = batch.flush(db);
    // Awaited below or in `flush`; never an unhandled rejection meanwhile.
    sent.catch(() => {});
    this.#inFlight.push(sent);
    if (this.#inFlight.length > MAX_IN_FLIGHT) await this.#inFlight.shift();
  }

  readonly #inFlight: Promise<void>[] = [];

  /** Sends what is queued and waits for every batch sent: call it before the transaction ends. */
  async flush(db: Kysely<Database>): Promise<void> {
    await this.#send(this.#visits, db);
    await this.#send(this.#actions, db);
    await this.#send(this.#conversions, db);
    const sent = this.#inFlight.splice(0);
    // Every batch settles before the first failure is reported: none runs after the transaction.
    const results = await Promise.allSettled(sent);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    // In the writes' transaction: no archive outlives the logs it was computed from.
    for (const [idsite, span] of this.#touched) await invalidateDayArchives(db, idsite, span);
    this.#touched.clear();
  }
}

/** Batches sent and not yet written, at most. */
const MAX_IN_FLIGHT = 2;

/** The next free visit id, for writers that choose ids. */
export async function nextVisitId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('log_visit')
    .select((eb) => eb.fn.max('idvisit').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}
