import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import Database from 'better-sqlite3';
import type { CellValue, ColumnMeta } from '../../../shared/domain/query';
import type { SchemaModel } from '../../../shared/domain/SchemaModel';
import type { Driver, DriverOptions, QueryResult, StreamHandlers, StreamOptions, StreamSummary } from '../Driver';
import { DriverError } from '../DriverError';
import { introspectSqlite } from '../introspect/introspectSqlite';
import type { Queryable } from '../introspect/Queryable';
import { normalizeCell } from '../normalizeCell';
import { ConsumerError, deliver } from './ConsumerError';
import { LostListeners } from './LostListeners';
import { sqliteSyntaxErrorOffset } from './sqliteSyntaxErrorOffset';
import { SerialQueue } from './SerialQueue';

/** How long a statement waits for another process's write lock before failing with "database is locked". */
const BUSY_TIMEOUT_MS = 2_000;
const DEFAULT_BATCH_SIZE = 1_000;

type Row = unknown[];

/**
 * A SQLite file through better-sqlite3. better-sqlite3 is synchronous and has no sqlite3_interrupt, so rows are
 * read in batches and the event loop gets a turn between batches: that is where cancel() and the statement
 * timeout land. A single step that runs long (one huge aggregate) cannot be stopped before it returns.
 */
export class SqliteDriver implements Driver {
  readonly dialect = 'sqlite' as const;
  readonly readOnly: boolean;
  serverVersion = '';

  readonly #path: string;
  readonly #statementTimeoutMs: number;
  #db: Database.Database | undefined;
  #cancelRequested = false;
  #disposed = false;
  readonly #queue = new SerialQueue();
  readonly #lost = new LostListeners();

  private constructor(path: string, readOnly: boolean, statementTimeoutMs: number) {
    this.#path = path;
    this.readOnly = readOnly;
    this.#statementTimeoutMs = statementTimeoutMs;
  }

  static async open({ config }: DriverOptions): Promise<SqliteDriver> {
    const raw = config.database?.trim();
    if (!raw) throw new DriverError('BAD_INPUT', 'A SQLite connection needs the path of a database file.');
    const path = raw.startsWith('~/') ? homedir() + raw.slice(1) : raw;
    const driver = new SqliteDriver(path, !config.allowWrites, config.statementTimeoutMs ?? 0);
    driver.#open();
    return driver;
  }

  #open(): void {
    const path = this.#path;
    const memory = path === ':memory:';
    if (!memory) {
      if (!existsSync(path)) throw new DriverError('CONNECTION_FAILED', `${path} does not exist.`);
      if (statSync(path).isDirectory()) throw new DriverError('CONNECTION_FAILED', `${path} is a directory, not a SQLite database.`);
    }
    let db: Database.Database;
    try {
      // An in-memory database cannot be opened read-only; query_only gives it the same refusal of writes.
      db = new Database(path, { readonly: this.readOnly && !memory, fileMustExist: !memory, timeout: BUSY_TIMEOUT_MS });
    } catch (error) {
      throw new DriverError('CONNECTION_FAILED', `Could not open ${path}: ${messageOf(error)}`, codeOf(error));
    }
    try {
      db.defaultSafeIntegers(true);
      if (memory && this.readOnly) db.pragma('query_only = ON');
      // Reading the header is what tells a SQLite file from any other file.
      db.prepare('PRAGMA schema_version').get();
      this.serverVersion = String((db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v);
    } catch (error) {
      db.close();
      const code = codeOf(error);
      if (code === 'SQLITE_NOTADB') throw new DriverError('CONNECTION_FAILED', `${path} is not a SQLite database.`, code);
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
        throw new DriverError('CONNECTION_FAILED', `${path}: database is locked (another process holds a lock; waited ${BUSY_TIMEOUT_MS} ms).`, code);
      }
      throw new DriverError('CONNECTION_FAILED', `Could not open ${path}: ${messageOf(error)}`, code);
    }
    this.#db = db;
  }

  query(sql: string, params: readonly unknown[] = []): Promise<QueryResult> {
    let columns: ColumnMeta[] = [];
    const rows: CellValue[][] = [];
    return this.#run(sql, params, {
      onColumns: (c) => void (columns = c),
      onRows: (batch) => void rows.push(...batch),
    }, DEFAULT_BATCH_SIZE).then((summary) => ({ columns, rows, ...(summary.affectedRows !== undefined ? { affectedRows: summary.affectedRows } : {}) }));
  }

  stream(sql: string, handlers: StreamHandlers, options: StreamOptions = {}): Promise<StreamSummary> {
    return this.#run(sql, [], handlers, options.batchSize ?? DEFAULT_BATCH_SIZE);
  }

  /** Queryable for introspection: rows as objects with better-sqlite3's own values (bigints for integers). */
  async queryObjects(sql: string, params: readonly unknown[] = []): Promise<{ rows: Record<string, unknown>[] }> {
    return this.#queue.run(async () => {
      const db = this.#session();
      try {
        const stmt = db.prepare(sql);
        if (!stmt.reader) {
          stmt.run(...bindable(params));
          return { rows: [] };
        }
        return { rows: stmt.all(...bindable(params)) as Record<string, unknown>[] };
      } catch (error) {
        throw toDriverError(error, sql, this.#path);
      }
    });
  }

  /** Queryable view, so introspection code can take the driver as is. */
  get queryable(): Queryable {
    return { query: (sql, params) => this.queryObjects(sql, params) };
  }

  #run(sql: string, params: readonly unknown[], handlers: StreamHandlers, batchSize: number): Promise<StreamSummary> {
    if (!Number.isInteger(batchSize) || batchSize < 1) return Promise.reject(new DriverError('BAD_INPUT', `batchSize must be a positive integer, got ${batchSize}.`));
    return this.#queue.run(async () => {
      const db = this.#session();
      this.#cancelRequested = false;
      const deadline = this.#statementTimeoutMs > 0 ? Date.now() + this.#statementTimeoutMs : Infinity;
      let iterator: IterableIterator<Row> | undefined;
      try {
        const stmt = db.prepare(sql);
        if (!stmt.reader) {
          const info = stmt.run(...bindable(params));
          return { rowCount: 0, affectedRows: info.changes, hasResultSet: false };
        }
        stmt.raw(true);
        const declared = stmt.columns();
        iterator = stmt.iterate(...bindable(params)) as IterableIterator<Row>;
        let columns: ColumnMeta[] | undefined;
        let rowCount = 0;
        for (;;) {
          const batch: Row[] = [];
          let done = false;
          while (batch.length < batchSize) {
            const next = iterator.next();
            if (next.done) {
              done = true;
              break;
            }
            batch.push(next.value);
            if (Date.now() > deadline) break;
          }
          if (!columns) {
            columns = declared.map((c, i) => columnMeta(c.name, c.type, batch, i));
            const announced = columns;
            await deliver(() => handlers.onColumns(announced));
          }
          if (batch.length > 0) {
            rowCount += batch.length;
            const meta = columns;
            const cells = batch.map((row) => row.map((value, i) => cell(value, meta[i]!)));
            await deliver(() => handlers.onRows(cells));
          }
          if (done) break;
          // Give cancel() and timers their turn; better-sqlite3 cannot be interrupted mid-step.
          await yieldToEventLoop();
          if (this.#cancelRequested) throw new DriverError('CANCELLED', 'The query was cancelled.');
          if (Date.now() > deadline) throw new DriverError('TIMEOUT', `The statement ran longer than the statement timeout (${this.#statementTimeoutMs} ms) and was stopped.`);
          if (this.#disposed) throw new DriverError('CANCELLED', 'The connection was closed while the query ran.');
        }
        iterator = undefined;
        return { rowCount, hasResultSet: true };
      } catch (error) {
        if (error instanceof ConsumerError) throw error.error;
        throw toDriverError(error, sql, this.#path);
      } finally {
        // Finishing the iterator resets the statement so the session can run the next one.
        iterator?.return?.();
        this.#cancelRequested = false;
      }
    });
  }

  async cancel(): Promise<void> {
    this.#cancelRequested = true;
  }

  async reconnect(): Promise<void> {
    if (this.#disposed) throw new DriverError('CONNECTION_FAILED', 'The connection was closed.');
    await this.#queue.run(async () => {
      try {
        this.#db?.close();
      } catch {
        // Reopening is the point; a failed close of the old handle changes nothing.
      }
      this.#db = undefined;
      this.#open();
    });
  }

  isAlive(): boolean {
    return !this.#disposed && this.#db?.open === true;
  }

  async introspect(): Promise<SchemaModel> {
    return introspectSqlite(this.queryable, this.#path, this.serverVersion);
  }

  onLost(listener: (error: Error) => void): () => void {
    // A local file does not drop like a network session; kept for the interface.
    return this.#lost.add(listener);
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#cancelRequested = true;
    await this.#queue.run(async () => {
      this.#db?.close();
      this.#db = undefined;
    });
    this.#lost.clear();
  }

  #session(): Database.Database {
    if (this.#disposed) throw new DriverError('CONNECTION_LOST', 'The connection was closed.');
    if (!this.#db?.open) throw new DriverError('CONNECTION_LOST', `${this.#path} is not open.`);
    return this.#db;
  }
}

function bindable(params: readonly unknown[]): unknown[] {
  return params.map((p) => (p === undefined ? null : typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

function columnMeta(name: string, declared: string | null, firstRows: Row[], index: number): ColumnMeta {
  const type = declared ?? '';
  return { name, type, kind: type ? kindOfDeclared(type) : kindOfValues(firstRows, index) };
}

/** SQLite's type affinity rules (https://sqlite.org/datatype3.html §3.1), with date, JSON and boolean names first. */
function kindOfDeclared(type: string): ColumnMeta['kind'] {
  const t = type.toUpperCase();
  if (t.startsWith('BOOL')) return 'boolean';
  if (t.includes('DATE') || t.includes('TIME')) return 'datetime';
  if (t.startsWith('JSON')) return 'json';
  if (t.includes('INT')) return 'number';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'text';
  if (t.includes('BLOB')) return 'binary';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'number';
  return 'number';
}

function kindOfValues(rows: Row[], index: number): ColumnMeta['kind'] {
  for (const row of rows) {
    const v = row[index];
    if (v === null || v === undefined) continue;
    if (typeof v === 'bigint' || typeof v === 'number') return 'number';
    if (typeof v === 'string') return 'text';
    if (v instanceof Uint8Array) return 'binary';
  }
  return 'other';
}

function cell(value: unknown, column: ColumnMeta): CellValue {
  // SQLite stores booleans as 0/1; a column declared BOOLEAN means them as booleans.
  if (column.kind === 'boolean' && (value === 0n || value === 1n || value === 0 || value === 1)) return value === 1n || value === 1;
  return normalizeCell(value);
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function toDriverError(error: unknown, sql: string, path: string): DriverError {
  if (error instanceof DriverError) return error;
  const code = codeOf(error);
  const message = messageOf(error);
  if (code === 'SQLITE_READONLY' || /readonly database/i.test(message)) {
    return new DriverError('READ_ONLY', `${path} is open read-only (the connection does not allow writes): ${message}`, code);
  }
  if (/syntax error|incomplete input|unrecognized token/i.test(message)) {
    return new DriverError('SYNTAX_ERROR', message, code, sqliteSyntaxErrorOffset(sql, message));
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new DriverError('QUERY_FAILED', `${path}: database is locked (another process holds a lock; waited ${BUSY_TIMEOUT_MS} ms).`, code);
  }
  if (code === 'SQLITE_NOTADB') return new DriverError('QUERY_FAILED', `${path} is not a SQLite database.`, code);
  if (error instanceof RangeError || error instanceof TypeError) return new DriverError('BAD_INPUT', message, code);
  return new DriverError('QUERY_FAILED', message, code);
}
