import type { Dialect } from '../../../shared/domain/connection';
import type { SchemaModel } from '../../../shared/domain/SchemaModel';

/** What a sandbox runs instead of a statement it cannot run as written, and why. */
export interface AdaptedStatement {
  sql: string;
  /** Said in the proof's result when the statement was changed. */
  note?: string;
}

/**
 * A copy of a database, or a transaction on one, where migrations can be applied and taken back without any
 * effect on the real thing. Each dialect implements it once; proveReversibility knows nothing of dialects.
 * Marks nest like SQL savepoints: rollbackTo and release apply to the most recent mark of that name.
 */
export interface Sandbox {
  readonly dialect: Dialect;
  /** The statement to run in place of `sql` (e.g. without CONCURRENTLY inside a transaction). */
  adapt(sql: string): AdaptedStatement;
  /**
   * Why a statement that failed with `error` says nothing about the migration, only about the sandbox (PostgreSQL
   * refuses VACUUM inside a transaction); undefined when the failure is the migration's own.
   */
  unprovable(error: unknown): string | undefined;
  /** Runs one statement; rejects with the server's error. */
  execute(sql: string): Promise<void>;
  /** The schema as it is now in the sandbox. */
  snapshot(): Promise<SchemaModel>;
  mark(name: string): Promise<void>;
  /** Returns to the state at the mark; the mark stays. */
  rollbackTo(name: string): Promise<void>;
  /** Keeps what was done since the mark and forgets the mark. */
  release(name: string): Promise<void>;
  /** Throws everything away and frees the connection or the in-memory copy. */
  dispose(): Promise<void>;
}
