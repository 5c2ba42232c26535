import type { Dialect } from '../../../shared/domain/connection';
import type { StatementImpact } from '../../../shared/domain/review';
import type { ColumnInfo } from '../../../shared/domain/SchemaModel';
import type { ParsedStatement } from '../parse/ParsedStatement';
import type { Reference, StatementDetails } from './statementDetails';

export type Work = StatementImpact['work'];

/** The lock a statement takes and what it does to the data, as one dialect's facts say. */
export interface LockEffect {
  /** The lock as the dialect names it: 'ACCESS EXCLUSIVE', 'ALGORITHM=COPY, LOCK=SHARED', 'database write lock'. */
  mode: string;
  /** What the lock blocks, in words, naming the tables. */
  blocks: string;
  /** True when other sessions' writes (or reads) wait for the statement to finish: what makes a long run an outage. */
  blocksWrites: boolean;
  work: Work;
  /** Other existing tables the same lock is taken on (the referenced table of a new foreign key). */
  alsoLocks?: string[];
}

/** What the lock facts need to know beyond the statement. */
export interface LockContext {
  /** driver.serverVersion. */
  serverVersion: string;
  /** The statement's table as people read it (`orders`, `shop.orders`). */
  tableLabel: string;
  /** True when the table is created earlier in the same set, so it is empty and nobody else uses it yet. */
  newTable: boolean;
  /** The column as it is on the server now, when the table and column exist there. */
  currentColumn(name: string): ColumnInfo | undefined;
  /** True when a validated CHECK (column IS NOT NULL) on the table exists on the server or was validated earlier in the set. */
  notNullProven(column: string): boolean;
  /** A referenced table as people read it: qualified as found on the server, else as written. */
  referenceLabel(reference: Reference): string;
  /** The dialect's session facts (SQLite's journal mode …), from describeSession. */
  session: SessionInfo;
}

export interface SessionInfo {
  /** Schemas an unqualified table name resolves to, in order. */
  searchPath: string[];
  /** SQLite: the journal mode ('wal', 'delete' …). */
  journalMode?: string;
  /**
   * PostgreSQL: the session is inside a transaction someone else opened (the workspace's query editor), so checks
   * run under a savepoint they roll back to, never BEGIN/ROLLBACK, which would end that transaction.
   */
  inTransaction?: boolean;
  /** PostgreSQL: `schema.table.column` of every validated CHECK (column IS NOT NULL). */
  notNullChecks?: string[];
}

/** A query with what must run around it on the same session to bound it by a server-side timeout. */
export interface BoundedQuery {
  before: string[];
  sql: string;
  after: string[];
}

/**
 * One dialect's impact facts: locks per statement shape, the catalog SQL for a table's size, how to bound a query,
 * and the dialect whose column types (types/columnTypes) the narrowing check compares. The engine asks these instead
 * of testing the dialect's name.
 */
export interface ImpactFacts {
  /** Whose column type facts (types/columnTypes) the narrowing checks read. */
  dialect: Dialect;
  /** The lock and work of one parsed statement; undefined when the statement takes no lock worth reporting. */
  lockOf(statement: ParsedStatement, details: StatementDetails, context: LockContext): LockEffect | undefined;
  quoteIdent(name: string): string;
  /** One read-only query for a table's row estimate and bytes; parameters (schema, table) in the dialect's style. Columns: row_estimate (null or negative when unknown), bytes. */
  tableSizeSql: string;
  /** Search path, journal mode … read once per analysis. */
  describeSession(run: (sql: string) => Promise<unknown[][]>): Promise<SessionInfo>;
  /** Wraps a read-only SELECT so the server stops it after `ms`. */
  bound(sql: string, ms: number, serverVersion: string, session: SessionInfo): BoundedQuery;
  /** Server error codes (SQLSTATE, MySQL code names) that mean the bound was hit: a lock wait or statement timeout. */
  timeoutServerCodes: string[];
  /** SQL function giving a string's length in characters. */
  charLength: string;
  /** Whether adding a NOT NULL column with no default fails on a table that has rows (it does on PostgreSQL and SQLite; MySQL fills in an implicit default). */
  notNullColumnWithoutDefaultFailsOnRows: boolean;
  /** Tables are named schema.table in the report, with this schema when the dialect has only one ('main' on SQLite). */
  defaultSchema?: string;
}

/** Rank of work, to keep the heaviest when a statement does several things. */
export const workRank: Record<Work, number> = { none: 0, catalog: 1, unknown: 2, scan: 3, 'index-build': 4, rewrite: 5 };

export function heavier(a: Work, b: Work): Work {
  return workRank[b] > workRank[a] ? b : a;
}
