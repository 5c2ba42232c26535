import type { ConnectionConfig, ConnectionSecrets, Dialect } from '../../shared/domain/connection';
import type { CellValue, ColumnMeta } from '../../shared/domain/query';
import type { SchemaModel } from '../../shared/domain/SchemaModel';

/**
 * One open session to a database. Every dialect implements this; nothing outside src/main/db/drivers/
 * checks the dialect. A driver holds one server session (not a pool) so that session state (read-only,
 * timeouts, temp tables, SET search_path) behaves as the user expects and cancel targets the right backend.
 */
export interface Driver {
  readonly dialect: Dialect;
  /** Server version as the server reports it, e.g. '15.18', '10.11.6-MariaDB', '3.53.2'. */
  readonly serverVersion: string;
  /** True when the server (or SQLite's open mode) refuses writes in this session. */
  readonly readOnly: boolean;

  /**
   * Run one statement and buffer its rows. For small internal queries (catalog, monitoring).
   * Values are normalised the same way as in `stream`.
   */
  query(sql: string, params?: readonly unknown[]): Promise<QueryResult>;

  /**
   * Run one statement and stream its rows in batches, fetched from a server-side cursor where the dialect
   * has one, so memory stays flat whatever the row count. `onColumns` is called once before any batch.
   * Resolves when all rows are delivered; rejects with a DriverError (code CANCELLED after `cancel()`).
   * The consumer applies back-pressure by returning a promise from onRows.
   */
  stream(sql: string, handlers: StreamHandlers, options?: StreamOptions): Promise<StreamSummary>;

  /**
   * Optional: the rows of one query as CSV (RFC 4180, header line first) formatted by the server itself and
   * streamed to `out`, which is left open. PostgreSQL has it (COPY … TO STDOUT): the server formats CSV several
   * times faster than rows can be parsed into cells and written again, which is what `quarry query --format csv`
   * needs on large results. Only for queries (SELECT, WITH … SELECT, VALUES, TABLE); cancel() stops it.
   */
  copyCsv?(sql: string, out: NodeJS.WritableStream): Promise<{ rowCount: number; bytes: number }>;

  /** Stop the statement running in this session, on the server (pg_cancel_backend, KILL QUERY, sqlite3_interrupt). */
  cancel(): Promise<void>;

  /** Reconnect after a dropped connection, restoring session settings. */
  reconnect(): Promise<void>;

  /** True while the underlying connection is usable. */
  isAlive(): boolean;

  /** Introspect the database into the one SchemaModel shape. */
  introspect(): Promise<SchemaModel>;

  /** Listen for the connection dropping underneath (server restart, network). */
  onLost(listener: (error: Error) => void): () => void;

  /** Close the session and any tunnel; idempotent. */
  dispose(): Promise<void>;
}

export interface QueryResult {
  columns: ColumnMeta[];
  rows: CellValue[][];
  /** Rows changed by DML, where the dialect reports it. */
  affectedRows?: number;
}

export interface StreamHandlers {
  onColumns(columns: ColumnMeta[]): void | Promise<void>;
  onRows(rows: CellValue[][]): void | Promise<void>;
}

export interface StreamOptions {
  /** Rows per batch fetched from the cursor. Defaults to 1000. */
  batchSize?: number;
}

export interface StreamSummary {
  rowCount: number;
  affectedRows?: number;
  /** True when the statement returned a result set (SELECT, RETURNING, SHOW …), even an empty one. */
  hasResultSet: boolean;
}

/** What a driver factory needs: the saved config and its secrets. */
export interface DriverOptions {
  config: ConnectionConfig;
  secrets: ConnectionSecrets;
}

export type DriverFactory = (options: DriverOptions) => Promise<Driver>;
