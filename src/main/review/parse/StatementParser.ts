import type Database from 'better-sqlite3';
import type * as LibpgQuery from 'libpg-query';
import type NodeSqlParser from 'node-sql-parser';
import type { Dialect } from '../../../shared/domain/connection';
import { classifyMysqlAlterStatement } from './classifyMysqlAlterStatement';
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

/** The parser libraries, loaded on demand: node-sql-parser alone takes longer to load than a PostgreSQL review of a small folder. */
interface Libraries {
  pg?: typeof LibpgQuery;
  sqlParser?: NodeSqlParser.Parser;
  sqlite?: typeof Database;
}

/** connection.ts's `dialects`, not imported from there because that module loads zod. */
const ALL_DIALECTS: readonly Dialect[] = ['postgres', 'mysql', 'sqlite'];

/** Which libraries each dialect parses with. */
const NEEDS: Record<Dialect, (keyof Libraries)[]> = { postgres: ['pg'], mysql: ['sqlParser'], sqlite: ['sqlParser', 'sqlite'] };

/**
 * Parses statements with each dialect's real parser: PostgreSQL's own (libpg-query), node-sql-parser for
 * MySQL/MariaDB and SQLite, and SQLite itself (prepare against an empty in-memory database) as the judge of
 * SQLite syntax. Create with `StatementParser.create()`, which loads the parser libraries (and the PostgreSQL
 * parser's WASM) once.
 */
export class StatementParser {
  private sqlite: Database.Database | undefined;
  private readonly byDialect: Record<Dialect, (sql: string) => ParseOutcome> = {
    postgres: (sql) => this.parsePostgres(sql),
    mysql: (sql) => {
      const outcome = this.parseWithSqlParser(sql, ['MySQL', 'MariaDB']);
      // node-sql-parser cannot read ALTER … SET DEFAULT or CONVERT TO CHARACTER SET; a strict reader of exactly those does.
      const classified = outcome.ok ? undefined : classifyMysqlAlterStatement(sql);
      return classified ? { ok: true, statements: [classified] } : outcome;
    },
    sqlite: (sql) => this.parseSqlite(sql),
  };

  private constructor(
    private readonly libs: Libraries,
    private readonly dialects: readonly Dialect[],
  ) {}

  /**
   * Loads the parsers of `dialects` only, so a PostgreSQL review never loads node-sql-parser or better-sqlite3 and
   * a MySQL one never loads libpg-query's WASM. Defaults to every dialect.
   */
  static async create(dialects: readonly Dialect[] = ALL_DIALECTS): Promise<StatementParser> {
    const wanted = new Set(dialects.flatMap((d) => NEEDS[d]));
    const libs: Libraries = {};
    await Promise.all([
      wanted.has('pg') &&
        import('libpg-query').then(async (m) => {
          await m.loadModule();
          libs.pg = m;
        }),
      wanted.has('sqlParser') && import('node-sql-parser').then((m) => (libs.sqlParser = new (m.default ?? m).Parser())),
      wanted.has('sqlite') && import('better-sqlite3').then((m) => (libs.sqlite = m.default)),
    ]);
    return new StatementParser(libs, [...dialects]);
  }

  parse(sql: string, dialect: Dialect): ParseOutcome {
    const nul = sql.indexOf('\u0000');
    if (nul >= 0) {
      // The C parsers stop reading at a NUL, so whatever follows it would go unchecked.
      return { ok: false, message: 'the statement contains a NUL character (U+0000)', offset: nul, syntaxError: NUL_REJECTED[dialect] };
    }
    if (!this.dialects.includes(dialect)) throw new Error(`This StatementParser was created for ${this.dialects.join(', ')}, not ${dialect}.`);
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
    const { parseSync, hasSqlDetails } = this.libs.pg!;
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
        const ast = this.libs.sqlParser!.astify(sql, { database }) as unknown;
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
    this.sqlite ??= new this.libs.sqlite!(':memory:');
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
