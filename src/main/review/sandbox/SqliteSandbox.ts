import Database from 'better-sqlite3';
import { ApiError } from '../../../shared/api/errors';
import type { SchemaModel } from '../../../shared/domain/SchemaModel';
import { introspectSqlite } from '../../db/introspect/introspectSqlite';
import type { Queryable } from '../../db/introspect/Queryable';
import type { AdaptedStatement, Sandbox } from './Sandbox';

export interface SqliteSandboxOptions {
  /** The database file to copy. Defaults to none: the sandbox starts from an empty database. */
  file?: string;
}

/**
 * An in-memory copy of a SQLite file (or an empty database). The file is opened read-only just long enough to
 * serialize it, so the user's file is never written; everything runs in one transaction on the copy anyway,
 * so marks are plain savepoints.
 */
export class SqliteSandbox implements Sandbox {
  readonly dialect = 'sqlite' as const;
  readonly #db: Database.Database;
  readonly #name: string;
  readonly #queryable: Queryable;

  constructor(options: SqliteSandboxOptions = {}) {
    if (options.file !== undefined) {
      let source: Database.Database;
      try {
        source = new Database(options.file, { readonly: true, fileMustExist: true });
      } catch (error) {
        throw new ApiError('BAD_INPUT', `Cannot copy the SQLite file ${options.file} into a sandbox: ${error instanceof Error ? error.message : String(error)}`);
      }
      try {
        this.#db = new Database(source.serialize());
      } finally {
        source.close();
      }
    } else {
      this.#db = new Database(':memory:');
    }
    this.#name = options.file ?? ':memory:';
    this.#db.exec('BEGIN');
    this.#queryable = { query: async (sql, params) => ({ rows: this.#db.prepare(sql).all(...(params ?? [])) as Record<string, unknown>[] }) };
  }

  adapt(sql: string): AdaptedStatement {
    return { sql };
  }

  unprovable(error: unknown): string | undefined {
    // SQLite says so in words only; its code is the generic SQLITE_ERROR.
    return error instanceof Error && /within a transaction/i.test(error.message) ? 'SQLite cannot run this statement inside a transaction, and the proof needs one.' : undefined;
  }

  async execute(sql: string): Promise<void> {
    this.#db.exec(sql);
  }

  snapshot(): Promise<SchemaModel> {
    return introspectSqlite(this.#queryable, this.#name, this.#db.prepare('select sqlite_version()').pluck().get() as string);
  }

  async mark(name: string): Promise<void> {
    this.#db.exec(`SAVEPOINT ${quote(name)}`);
  }

  async rollbackTo(name: string): Promise<void> {
    this.#db.exec(`ROLLBACK TO ${quote(name)}`);
  }

  async release(name: string): Promise<void> {
    this.#db.exec(`RELEASE ${quote(name)}`);
  }

  async dispose(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
