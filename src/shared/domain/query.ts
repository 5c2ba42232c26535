/**
 * A cell as it crosses the API. Exact values stay exact: bigints, numerics, dates and times travel as the
 * server's text, JSON as its text, binary as a hex preview with its byte length. NULL is null, never ''.
 */
export type CellValue = null | boolean | number | string | BinaryCell;

export interface BinaryCell {
  $binary: true;
  /** Byte length of the whole value. */
  length: number;
  /** Hex of at most the first 4 KiB. */
  hexPreview: string;
}

export interface ColumnMeta {
  name: string;
  /** The type name as the server reports it, e.g. 'int8', 'VARCHAR', 'json'. May be '' for SQLite expressions. */
  type: string;
  /** A coarse family the grid uses for alignment and viewers. */
  kind: 'number' | 'text' | 'boolean' | 'datetime' | 'json' | 'binary' | 'other';
}

export interface SourcePosition {
  /** 1-based line in the text that was sent. */
  line: number;
  /** 1-based column. */
  column: number;
  /** 0-based character offset into the text that was sent. */
  offset: number;
}

export interface ResultSetSummary {
  index: number;
  /** The statement text that produced this result. */
  statement: string;
  columns: ColumnMeta[];
  /** Rows spooled so far (final once `done`). */
  rowCount: number;
  /** For DML: rows affected. */
  affectedRows?: number;
  done: boolean;
  durationMs?: number;
}

/** Events of one running query, streamed on the 'query' stream under the query's id. */
export type QueryEvent =
  | { type: 'started'; statements: number }
  | { type: 'resultSet'; result: ResultSetSummary }
  | { type: 'progress'; index: number; rowCount: number }
  | { type: 'resultDone'; result: ResultSetSummary }
  | { type: 'error'; error: QueryError }
  | { type: 'done'; durationMs: number; cancelled: boolean };

export interface QueryError {
  code: string;
  message: string;
  /** Where the error is, in the text the user ran (not the split statement). */
  position?: SourcePosition;
  /** Index of the failing statement. */
  statementIndex?: number;
  detail?: string;
}

export interface HistoryEntry {
  id: number;
  connectionId: string;
  sql: string;
  startedAt: string;
  durationMs?: number;
  rowCount?: number;
  error?: string;
}

export interface SavedQuery {
  id: string;
  name: string;
  sql: string;
  connectionId?: string;
  updatedAt: string;
}

export interface EditorTab {
  id: string;
  title: string;
  sql: string;
  connectionId?: string;
  /** Order in the tab bar. */
  position: number;
  /** Id of the saved query this tab edits, if any. */
  savedQueryId?: string;
  dirty: boolean;
}

export type StatementRisk = 'safe' | 'write' | 'destructive';

export interface StatementClassification {
  /** Character offsets of the statement in the text. */
  start: number;
  end: number;
  text: string;
  risk: StatementRisk;
  /** Why it is destructive, e.g. 'DELETE without WHERE'. */
  reason?: string;
}
