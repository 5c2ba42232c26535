import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
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
import { SqliteProcess, SqliteProcessError, SqliteProcessGone } from './SqliteProcess';

/** How long a statement waits for another process's write lock before failing with "database is locked". */
const BUSY_TIMEOUT_MS = 2_000;
const DEFAULT_BATCH_SIZE = 1_000;

type Row = unknown[];

interface StartReply {
  reader: boolean;
  changes?: number;
  columns?: { name: string; type: string | null }[];
}

interface NextReply {
  rows: Row[];
  done: boolean;
}

/**
 * A SQLite file through better-sqlite3, run in a child process (see SqliteProcess): rows come in batches, and
 * cancel() or the statement timeout stop even a long single step by killing that process; the file is then
 * reopened, so per-session state (temp tables, PRAGMAs, an in-memory database's content) does not survive a cancel
 * that had to interrupt a running step.
 */
export class SqliteDriver implements Driver {
  readonly dialect = 'sqlite' as const;
  readonly readOnly: boolean;
  serverVersion = '';

  readonly #path: string;
  readonly #statementTimeoutMs: number;
  #child: SqliteProcess | undefined;
  #running = false;
  #interrupt: 'CANCELLED' | 'TIMEOUT' | undefined;
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
    await driver.#open();
    return driver;
  }

  async #open(): Promise<void> {
    const path = this.#path;
    const memory = path === ':memory:';
    if (!memory) {
      if (!existsSync(path)) throw new DriverError('CONNECTION_FAILED', `${path} does not exist.`);
      if (statSync(path).isDirectory()) throw new DriverError('CONNECTION_FAILED', `${path} is a directory, not a SQLite database.`);
    }
    const child = new SqliteProcess();
    try {
      // An in-memory database cannot be opened read-only; query_only gives it the same refusal of writes.
      const reply = await child.call<{ version: string }>('open', {
        path,
        readonly: this.readOnly && !memory,
        memory,
        busyTimeoutMs: BUSY_TIMEOUT_MS,
        queryOnly: memory && this.readOnly,
      });
      this.serverVersion = reply.version;
    } catch (error) {
      await child.terminate();
      const code = codeOf(error);
      if (code === 'SQLITE_NOTADB') throw new DriverError('CONNECTION_FAILED', `${path} is not a SQLite database.`, code);
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
        throw new DriverError('CONNECTION_FAILED', `${path}: database is locked (another process holds a lock; waited ${BUSY_TIMEOUT_MS} ms).`, code);
      }
      throw new DriverError('CONNECTION_FAILED', `Could not open ${path}: ${messageOf(error)}`, code);
    }
    this.#child = child;
  }

  async #session(): Promise<SqliteProcess> {
    if (this.#disposed) throw new DriverError('CONNECTION_LOST', 'The connection was closed.');
    if (!this.#child?.alive) {
      this.#child = undefined;
      await this.#open();
    }
    return this.#child!;
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
      const child = await this.#session();
      try {
        return { rows: await child.call<Record<string, unknown>[]>('objects', { sql, params: bindable(params) }) };
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
      const child = await this.#session();
      this.#interrupt = undefined;
      this.#running = true;
      const timer = this.#statementTimeoutMs > 0 ? setTimeout(() => void this.#stop('TIMEOUT'), this.#statementTimeoutMs) : undefined;
      let iterating = false;
      try {
        const start = await child.call<StartReply>('start', { sql, params: bindable(params) });
        if (!start.reader) return { rowCount: 0, affectedRows: start.changes ?? 0, hasResultSet: false };
        iterating = true;
        let columns: ColumnMeta[] | undefined;
        let rowCount = 0;
        for (;;) {
          this.#checkInterrupt();
          const { rows, done } = await child.call<NextReply>('next', { count: batchSize });
          if (done) iterating = false;
          if (!columns) {
            const announced = (start.columns ?? []).map((c, i) => columnMeta(c.name, c.type, rows, i));
            columns = announced;
            await deliver(() => handlers.onColumns(announced));
          }
          if (rows.length > 0) {
            rowCount += rows.length;
            const meta = columns;
            const cells = rows.map((row) => row.map((value, i) => cell(value, meta[i]!)));
            await deliver(() => handlers.onRows(cells));
          }
          if (done) break;
        }
        return { rowCount, hasResultSet: true };
      } catch (error) {
        if (error instanceof ConsumerError) throw error.error;
        if (this.#interrupt) throw this.#interruptError(this.#interrupt);
        if (error instanceof SqliteProcessGone) throw new DriverError('CONNECTION_LOST', `${this.#path}: ${error.message}`);
        throw toDriverError(error, sql, this.#path);
      } finally {
        clearTimeout(timer);
        this.#running = false;
        this.#interrupt = undefined;
        if (iterating && child.alive) await child.call('finish').catch(() => undefined);
        // A step stopped by killing the session process leaves no session: open the file again for the next statement.
        if (!child.alive && !this.#disposed && this.#child === undefined) await this.#open().catch(() => undefined);
      }
    });
  }

  #checkInterrupt(): void {
    if (this.#interrupt) throw this.#interruptError(this.#interrupt);
  }

  #interruptError(reason: 'CANCELLED' | 'TIMEOUT'): DriverError {
    return reason === 'CANCELLED'
      ? new DriverError('CANCELLED', 'The query was cancelled.')
      : new DriverError('TIMEOUT', `The statement ran longer than the statement timeout (${this.#statementTimeoutMs} ms) and was stopped.`);
  }

  /** Between batches a flag is enough; a step running in the child is stopped by killing the child. */
  async #stop(reason: 'CANCELLED' | 'TIMEOUT'): Promise<void> {
    if (!this.#running) return;
    this.#interrupt ??= reason;
    const child = this.#child;
    if (child?.busy) {
      this.#child = undefined;
      await child.terminate();
    }
  }

  async cancel(): Promise<void> {
    await this.#stop('CANCELLED');
  }

  async reconnect(): Promise<void> {
    if (this.#disposed) throw new DriverError('CONNECTION_FAILED', 'The connection was closed.');
    await this.#queue.run(async () => {
      const old = this.#child;
      this.#child = undefined;
      // Reopening is the point; a failed close of the old handle changes nothing.
      await old?.call('close').catch(() => undefined);
      await old?.terminate();
      await this.#open();
    });
  }

  isAlive(): boolean {
    return !this.#disposed && this.#child?.alive === true;
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
    await this.#stop('CANCELLED');
    await this.#queue.run(async () => {
      const child = this.#child;
      this.#child = undefined;
      await child?.call('close').catch(() => undefined);
      await child?.terminate();
    });
    this.#lost.clear();
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
  // better-sqlite3 rejects bad input (two statements, wrong parameter count) with RangeError and TypeError.
  const kind = error instanceof SqliteProcessError ? error.kind : (error as Error | null)?.name;
  if (kind === 'RangeError' || kind === 'TypeError') return new DriverError('BAD_INPUT', message, code);
  return new DriverError('QUERY_FAILED', message, code);
}
