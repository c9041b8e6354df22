import { CompiledQuery, type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';

type Value = string | number | null;

/**
 * Multi-row `insert` statements for bulk loads of generated rows. Values are written into the
 * SQL as standard literals (integers, `null`, and strings in single quotes with quotes doubled,
 * as PostgreSQL and SQLite both read them), because binding is what costs most with the
 * `sqlite3` driver: about 1 µs per bound value, several times the cost of the insert itself.
 * Kysely compiles the `insert into … values` prefix, so identifiers follow the dialect.
 */
export class BatchInsert {
  readonly #table: keyof Database & string;
  readonly #columns: readonly string[];
  readonly #rowsPerStatement: number;
  #prefix: string | undefined;
  #rows: string[] = [];

  constructor(table: keyof Database & string, columns: readonly string[], rowsPerStatement = 2000) {
    this.#table = table;
    this.#columns = columns;
    this.#rowsPerStatement = rowsPerStatement;
  }

  get pendingRows(): number {
    return this.#rows.length;
  }

  /** A full batch is waiting: `flush` it before adding more. */
  get isFull(): boolean {
    return this.#rows.length >= this.#rowsPerStatement;
  }

  /** Queues one row, values in column order. */
  add(row: readonly Value[]): void {
    if (row.length !== this.#columns.length)
      throw new Error(`${this.#table}: expected ${this.#columns.length} values`);
    this.#rows.push(`(${row.map(literal).join(',')})`);
  }

  async flush(db: Kysely<Database>): Promise<void> {
    if (this.#rows.length === 0) return;
    const rows = this.#rows;
    this.#rows = [];
    this.#prefix ??=
      sql`insert into ${sql.table(this.#table)} (${sql.join(this.#columns.map((column) => sql.ref(column)))}) values `.compile(
        db,
      ).sql;
    await db.executeQuery(CompiledQuery.raw(this.#prefix + rows.join(','), []));
  }
}

/** A standard SQL literal. Only integers, null and strings without NUL characters are accepted. */
export function literal(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`Not an integer: ${value}`);
    return String(value);
  }
  if (value.includes('\0')) throw new Error('A NUL character cannot be written');
  return `'${value.replaceAll("'", "''")}'`;
}
