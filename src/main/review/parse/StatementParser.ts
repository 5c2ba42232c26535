import Database from 'better-sqlite3';
import { hasSqlDetails, loadModule, parseSync } from 'libpg-query';
import sqlParser from 'node-sql-parser';
import type { Dialect } from '../../../shared/domain/connection';
import { classifySqliteStatement } from './classifySqliteStatement';
import type { ParsedStatement } from './ParsedStatement';
import { normalizePostgres } from './normalizePostgres';
import { normalizeSqlParser } from './normalizeSqlParser';

export type ParseOutcome =
  | { ok: true; statements: ParsedStatement[] }
  | {
      ok: false;
      message: string;
      /** 0-based offset into the statement text where the parser stopped, when it says. */
      offset?: number;
      /**
       * True when the dialect's own parser rejected the text (PostgreSQL, SQLite): the migration would fail.
       * False when only Quarry's parser could not read it, so rules could not check it.
       */
      syntaxError: boolean;
    };

/** Whether the server itself refuses a NUL character anywhere in a statement. */
const NUL_REJECTED: Record<Dialect, boolean> = { postgres: true, sqlite: true, mysql: false };

/** SQLite messages that mean the SQL is well-formed but names something this empty database lacks. */
const MISSING_OBJECT = /^no such (table|column|index|view|function|module|collation|savepoint)|^unknown database|^unable to identify the object|already exists$/i;

/**
 * Parses statements with each dialect's real parser: PostgreSQL's own (libpg-query), node-sql-parser for
 * MySQL/MariaDB and SQLite, and SQLite itself (prepare against an empty in-memory database) as the judge of
 * SQLite syntax. Create with `StatementParser.create()`, which loads the PostgreSQL parser's WASM once.
 */
export class StatementParser {
  private sqlite: Database.Database | undefined;
  private readonly sqlParser = new sqlParser.Parser();
  private readonly byDialect: Record<Dialect, (sql: string) => ParseOutcome> = {
    postgres: (sql) => this.parsePostgres(sql),
    mysql: (sql) => this.parseWithSqlParser(sql, ['MySQL', 'MariaDB']),
    sqlite: (sql) => this.parseSqlite(sql),
  };

  private constructor() {}

  static async create(): Promise<StatementParser> {
    await loadModule();
    return new StatementParser();
  }

  parse(sql: string, dialect: Dialect): ParseOutcome {
    const nul = sql.indexOf('\u0000');
    if (nul >= 0) {
      // The C parsers stop reading at a NUL, so whatever follows it would go unchecked.
      return { ok: false, message: 'the statement contains a NUL character (U+0000)', offset: nul, syntaxError: NUL_REJECTED[dialect] };
    }
    try {
      return this.byDialect[dialect](sql);
    } catch (error) {
      // An AST shape the normalisers did not expect: the statement goes unchecked, and says so.
      return { ok: false, message: `Quarry could not read the parser's output: ${error instanceof Error ? error.message : String(error)}`, syntaxError: false };
    }
  }

  dispose(): void {
    this.sqlite?.close();
    this.sqlite = undefined;
  }

  private parsePostgres(sql: string): ParseOutcome {
    try {
      const result = parseSync(sql);
      return { ok: true, statements: (result.stmts ?? []).map((s) => normalizePostgres(s.stmt as Record<string, unknown>)) };
    } catch (error) {
      if (hasSqlDetails(error) && error.sqlDetails) {
        return { ok: false, message: error.sqlDetails.message, offset: Math.max(0, error.sqlDetails.cursorPosition), syntaxError: true };
      }
      return { ok: false, message: error instanceof Error ? error.message : String(error), syntaxError: true };
    }
  }

  private parseWithSqlParser(sql: string, databases: string[]): ParseOutcome {
    let first: ParseOutcome | undefined;
    for (const database of databases) {
      try {
        const ast = this.sqlParser.astify(sql, { database }) as unknown;
        const list = (Array.isArray(ast) ? ast : [ast]) as Record<string, unknown>[];
        return { ok: true, statements: list.map((n) => normalizeSqlParser(n)) };
      } catch (error) {
        const e = error as { message?: string; location?: { start?: { offset?: number } } };
        first ??= { ok: false, message: firstLine(e.message ?? String(error)), offset: e.location?.start?.offset, syntaxError: false };
      }
    }
    return first ?? { ok: false, message: 'no parser for this statement', syntaxError: false };
  }

  private parseSqlite(sql: string): ParseOutcome {
    this.sqlite ??= new Database(':memory:');
    try {
      this.sqlite.prepare(sql);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!MISSING_OBJECT.test(message)) return { ok: false, message, syntaxError: true };
    }
    const outcome = this.parseWithSqlParser(sql, ['sqlite']);
    if (outcome.ok) return outcome;
    const classified = classifySqliteStatement(sql);
    return classified ? { ok: true, statements: [classified] } : outcome;
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
