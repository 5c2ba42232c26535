import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatementParser } from './StatementParser';

let parser: StatementParser;
beforeAll(async () => {
  parser = await StatementParser.create();
});
afterAll(() => parser.dispose());

function parsed(sql: string, dialect: 'postgres' | 'mysql' | 'sqlite') {
  const outcome = parser.parse(sql, dialect);
  if (!outcome.ok) throw new Error(`expected ${sql} to parse: ${outcome.message}`);
  expect(outcome.statements).toHaveLength(1);
  return outcome.statements[0]!;
}

describe('StatementParser: PostgreSQL through libpg-query', () => {
  it('normalises ALTER TABLE sub-commands with their kinds, columns, defaults and constraints', () => {
    const s = parsed(
      'ALTER TABLE public.orders ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid(), ALTER COLUMN total TYPE bigint, ALTER COLUMN customer_id SET NOT NULL, ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID, DROP COLUMN IF EXISTS legacy',
      'postgres',
    );
    expect(s.parser).toBe('libpg-query');
    expect(s.kind).toBe('alter-table');
    expect(s.table).toBe('orders');
    expect(s.alterCommands.map((c) => c.kind)).toEqual(['add-column', 'alter-column-type', 'set-not-null', 'add-constraint', 'drop-column']);
    expect(s.alterCommands[0]!.columnSpec).toMatchObject({ name: 'token', type: 'uuid', notNull: true, default: { volatility: 'volatile' } });
    expect(s.alterCommands[1]!.columnSpec?.type).toBe('int8');
    expect(s.alterCommands[3]!.constraint).toMatchObject({ kind: 'foreign-key', name: 'fk', notValid: true });
    expect(s.alterCommands[4]).toMatchObject({ column: 'legacy', ifExists: true });
  });

  it('sees CREATE INDEX CONCURRENTLY, UNIQUE and IF NOT EXISTS', () => {
    const s = parsed('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (lower(email))', 'postgres');
    expect(s).toMatchObject({ kind: 'create-index', table: 'users', objectName: 'users_email', concurrently: true, unique: true, ifNotExists: true });
  });

  it('keeps the raw AST for dialect-specific checks', () => {
    const s = parsed('VACUUM (FULL) orders', 'postgres');
    expect(s).toMatchObject({ kind: 'vacuum', full: true, table: 'orders' });
    expect(s.ast).toHaveProperty('VacuumStmt');
  });

  it('reports a syntax error with the offset where PostgreSQL stopped', () => {
    const sql = 'ALTER TABLE orders ADD COLUMN note text DEFAULT';
    const outcome = parser.parse(sql, 'postgres');
    expect(outcome).toMatchObject({ ok: false, syntaxError: true });
    if (outcome.ok) return;
    expect(outcome.message).toMatch(/syntax error/);
    expect(outcome.offset).toBe(sql.length);
  });

  it('refuses a NUL character instead of checking only the text before it', () => {
    expect(parser.parse('DROP INDEX CONCURRENTLY a\u0000; DROP TABLE orders', 'postgres')).toMatchObject({ ok: false, syntaxError: true, offset: 25 });
    expect(parser.parse('DROP TABLE a\u0000', 'sqlite')).toMatchObject({ ok: false, syntaxError: true, offset: 12 });
    expect(parser.parse('DROP TABLE a\u0000', 'mysql')).toMatchObject({ ok: false, syntaxError: false, offset: 12 });
  });

  it('answers deeply nested input with an error, not a crash', () => {
    const deep = `SELECT ${'('.repeat(20000)}1${')'.repeat(20000)}`;
    for (const dialect of ['postgres', 'mysql', 'sqlite'] as const) expect(parser.parse(deep, dialect).ok).toBe(false);
  });

  it('parses a comment-only text to no statements', () => {
    expect(parser.parse('-- nothing here\n', 'postgres')).toEqual({ ok: true, statements: [] });
  });
});

describe('StatementParser: MySQL and MariaDB through node-sql-parser', () => {
  it('normalises ALTER TABLE with ALGORITHM and LOCK clauses', () => {
    const s = parsed('ALTER TABLE orders ADD COLUMN note TEXT NOT NULL DEFAULT \'\', MODIFY total BIGINT, ALGORITHM=COPY, LOCK=EXCLUSIVE', 'mysql');
    expect(s.parser).toBe('node-sql-parser');
    expect(s.alterCommands.map((c) => [c.kind, c.value])).toEqual([
      ['add-column', undefined],
      ['alter-column-type', undefined],
      ['algorithm', 'COPY'],
      ['lock', 'EXCLUSIVE'],
    ]);
    expect(s.alterCommands[0]!.columnSpec).toMatchObject({ name: 'note', type: 'text', notNull: true, default: { volatility: 'constant' } });
  });

  it('reads RENAME TABLE pairs', () => {
    const s = parsed('RENAME TABLE orders TO purchases', 'mysql');
    expect(s).toMatchObject({ kind: 'rename-table', table: 'orders', alterCommands: [{ kind: 'rename-table', newName: 'purchases' }] });
  });

  it('reports what it cannot read as unparsed (not as a syntax error) with the offset', () => {
    const outcome = parser.parse('ALTER TABLE orders FROBNICATE note', 'mysql');
    expect(outcome).toMatchObject({ ok: false, syntaxError: false });
    if (outcome.ok) return;
    expect(outcome.offset).toBeGreaterThan(0);
  });
});

describe('StatementParser: SQLite, judged by SQLite itself', () => {
  it('accepts a statement whose table does not exist in the empty database', () => {
    expect(parsed('DELETE FROM orders WHERE id = 1', 'sqlite')).toMatchObject({ kind: 'delete', table: 'orders', hasWhere: true });
  });

  it('reports SQLite syntax errors as such', () => {
    expect(parser.parse('CREATE TABLE t (id INTEGER PRIMARY KEY,)', 'sqlite')).toMatchObject({ ok: false, syntaxError: true });
    expect(parser.parse('SELEC 1', 'sqlite')).toMatchObject({ ok: false, syntaxError: true, message: expect.stringMatching(/syntax error/) });
  });

  it('never calls what SQLite accepts a syntax error, even where node-sql-parser has no AST for it', () => {
    for (const sql of ['PRAGMA foreign_keys = ON', 'CREATE TABLE t (id INTEGER PRIMARY KEY) STRICT', 'CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = 1; END']) {
      expect(parser.parse(sql, 'sqlite'), sql).not.toMatchObject({ syntaxError: true });
    }
  });

  it('classifies by keyword what SQLite accepts but node-sql-parser cannot read', () => {
    expect(parsed('BEGIN TRANSACTION', 'sqlite')).toMatchObject({ kind: 'begin', parser: 'sqlite-keywords' });
    expect(parsed('COMMIT', 'sqlite').kind).toBe('commit');
    expect(parsed('DROP INDEX IF EXISTS main."orders_idx"', 'sqlite')).toMatchObject({ kind: 'drop-index', ifExists: true, objectName: 'orders_idx' });
    expect(parsed('DROP INDEX orders_idx', 'sqlite')).toMatchObject({ kind: 'drop-index', ifExists: false, objectName: 'orders_idx' });
    expect(parsed('PRAGMA foreign_keys = ON', 'sqlite').kind).toBe('other');
    expect(parsed('REINDEX orders', 'sqlite').kind).toBe('other');
  });

  it('reports what SQLite rejects for reasons beyond grammar', () => {
    expect(parser.parse('CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT) WITHOUT ROWID', 'sqlite')).toMatchObject({ ok: false, syntaxError: true, message: expect.stringContaining('AUTOINCREMENT') });
  });

  it('leaves the database untouched by what it checks', () => {
    // prepare() never runs the statement, so a CREATE TABLE must not make a later one fail with "already exists".
    expect(parser.parse('CREATE TABLE t (id INTEGER PRIMARY KEY)', 'sqlite').ok).toBe(true);
    expect(parser.parse('CREATE TABLE t (id INTEGER PRIMARY KEY)', 'sqlite').ok).toBe(true);
  });
});
