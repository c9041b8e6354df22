import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import sqlite3 from 'sqlite3';

export interface SqliteDialectOptions {
  /** The database file. Created when missing. */
  filename: string;
  /** Read-only connections that serve reads outside transactions, in parallel with the writer. */
  readers?: number;
  /** How long a statement waits for a lock held by another process, in milliseconds. */
  busyTimeoutMs?: number;
}

/**
 * A Kysely dialect for the callback-based `sqlite3` package.
 *
 * One writer connection runs every write and every transaction, one at a time (a mutex), so a
 * transaction never interleaves with another statement on the same connection. Reads outside a
 * transaction go to a small pool of read-only connections: in WAL mode they see every committed
 * write and never wait for the writer, so a slow report does not hold up token issuance.
 * This is the only file that speaks SQLite; everything else uses Kysely's portable builders.
 */
export class SqliteDialect implements Dialect {
  readonly #options: Required<SqliteDialectOptions>;

  constructor(options: SqliteDialectOptions) {
    this.#options = { readers: 2, busyTimeoutMs: 5000, ...options };
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  createDriver(): Driver {
    return new SqliteDriver(this.#options);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  // biome-ignore lint/suspicious/noExplicitAny: Kysely's own signature
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

class SqliteDriver implements Driver {
  readonly #options: Required<SqliteDialectOptions>;
  readonly #writerLock = new Mutex();
  #writer?: sqlite3.Database;
  #readers: sqlite3.Database[] = [];
  #nextReader = 0;

  constructor(options: Required<SqliteDialectOptions>) {
    this.#options = options;
  }

  async init(): Promise<void> {
    const { filename, busyTimeoutMs } = this.#options;
    const writer = await open(filename, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE);
    writer.configure('busyTimeout', busyTimeoutMs);
    await run(writer, 'pragma journal_mode = wal');
    await run(writer, 'pragma synchronous = normal');
    await run(writer, 'pragma foreign_keys = on');
    this.#writer = writer;
    for (let i = 0; i < this.#options.readers; i++) {
      const reader = await open(filename, sqlite3.OPEN_READWRITE);
      reader.configure('busyTimeout', busyTimeoutMs);
      await run(reader, 'pragma query_only = on');
      this.#readers.push(reader);
    }
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutingConnection(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const routing = connection as RoutingConnection;
    await this.#writerLock.lock();
    try {
      // `immediate` takes the write lock now: no deadlock when a read turns into a write.
      await run(this.writer, 'begin immediate');
      routing.inTransaction = true;
    } catch (error) {
      this.#writerLock.unlock();
      throw error;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#endTransaction(connection as RoutingConnection, 'commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#endTransaction(connection as RoutingConnection, 'rollback');
  }

  async #endTransaction(connection: RoutingConnection, statement: 'commit' | 'rollback'): Promise<void> {
    try {
      await run(this.writer, statement);
    } finally {
      connection.inTransaction = false;
      this.#writerLock.unlock();
    }
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    await this.#writerLock.lock();
    const all = [...this.#readers, ...(this.#writer ? [this.#writer] : [])];
    this.#readers = [];
    this.#writer = undefined;
    await Promise.all(all.map(close));
    this.#writerLock.unlock();
  }

  get writer(): sqlite3.Database {
    if (!this.#writer) throw new Error('The database is closed');
    return this.#writer;
  }

  /** Runs one statement outside a transaction, on the right connection. */
  async executeAlone<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (isRead(compiled) && this.#readers.length > 0) {
      const reader = this.#readers[this.#nextReader++ % this.#readers.length] as sqlite3.Database;
      return execute<R>(reader, compiled);
    }
    await this.#writerLock.lock();
    try {
      return await execute<R>(this.writer, compiled);
    } finally {
      this.#writerLock.unlock();
    }
  }
}

class RoutingConnection implements DatabaseConnection {
  inTransaction = false;
  readonly #driver: SqliteDriver;

  constructor(driver: SqliteDriver) {
    this.#driver = driver;
  }

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // Inside a transaction the writer's lock is already held by this connection.
    return this.inTransaction
      ? execute<R>(this.#driver.writer, compiled)
      : this.#driver.executeAlone<R>(compiled);
  }

  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(compiled);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }
}

function isRead(compiled: CompiledQuery): boolean {
  const kind = compiled.query.kind;
  if (kind === 'SelectQueryNode') return true;
  if (kind === 'RawNode') return /^\s*select\b/i.test(compiled.sql);
  return false;
}

function returnsRows(compiled: CompiledQuery): boolean {
  const node = compiled.query as { kind: string; returning?: unknown };
  if (node.kind === 'SelectQueryNode') return true;
  if (node.kind === 'RawNode') return /^\s*(select|with|pragma|values)\b|\breturning\b/i.test(compiled.sql);
  return node.returning !== undefined;
}

function bindable(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number(value);
  return value;
}

function execute<R>(db: sqlite3.Database, compiled: CompiledQuery): Promise<QueryResult<R>> {
  const params = compiled.parameters.map(bindable);
  return new Promise((resolve, reject) => {
    if (returnsRows(compiled)) {
      db.all(compiled.sql, params, (error, rows) => (error ? reject(error) : resolve({ rows: rows as R[] })));
      return;
    }
    db.run(compiled.sql, params, function onRun(this: sqlite3.RunResult, error: Error | null) {
      if (error) return reject(error);
      resolve({ rows: [], numAffectedRows: BigInt(this.changes), insertId: BigInt(this.lastID) });
    });
  });
}

function open(filename: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(filename, mode, (error) => (error ? reject(error) : resolve(db)));
  });
}

function run(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (error) => (error ? reject(error) : resolve())));
}

function close(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve, reject) => db.close((error) => (error ? reject(error) : resolve())));
}

/** A FIFO lock: waiters are served in arrival order. */
class Mutex {
  #locked = false;
  readonly #waiters: (() => void)[] = [];

  lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  unlock(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }
}
