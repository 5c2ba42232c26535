import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { Dialect } from '../../../shared/domain/connection';
import { parseInWorkers, runningParseWorkers } from './parseInWorkers';
import { StatementParser, type ParseOutcome } from './StatementParser';

let parser: StatementParser;
/** Warnings the pool gave: one means a worker never answered and its statements were parsed on this thread. */
const warnings: string[] = [];
const onWarning = (w: Error & { code?: string }): void => {
  if (w.code === 'QUARRY_PARSE_WORKER') warnings.push(w.message);
};
beforeAll(async () => {
  parser = await StatementParser.create();
  process.on('warning', onWarning);
});
afterAll(() => {
  parser.dispose();
  process.off('warning', onWarning);
});
beforeEach(() => {
  warnings.length = 0;
});

/** Statements of many kinds, good and bad, each dialect's; repeated so a list spans many chunks. */
const SAMPLES: Record<Dialect, string[]> = {
  postgres: [
    'CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL DEFAULT now())',
    'ALTER TABLE t ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid(), ALTER COLUMN name TYPE varchar(20)',
    'CREATE INDEX CONCURRENTLY IF NOT EXISTS t_name ON t (lower(name))',
    'UPDATE t SET name = upper(name)',
    'SELEC 1',
    "SELECT 'é', E'\\u00e9', 1.5e300, -0",
    'BEGIN; LOCK TABLE t; COMMIT',
    'ALTER TYPE mood ADD VALUE IF NOT EXISTS \'meh\'',
    'SELECT 1\u0000',
  ],
  mysql: [
    'CREATE TABLE t (id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20) NOT NULL)',
    'ALTER TABLE t ADD COLUMN c INT NOT NULL, ALGORITHM=INPLACE, LOCK=NONE',
    'LOCK TABLES t WRITE',
    'DELETE FROM t',
    'THIS IS NOT SQL',
  ],
  sqlite: ['CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)', 'PRAGMA foreign_keys = ON', 'VACUUM', 'DROP INDEX IF EXISTS i', 'CREATE TABLE (', 'ALTER TABLE t ADD COLUMN c NOT NULL'],
};

function list(dialect: Dialect, copies: number): string[] {
  return Array.from({ length: copies }, (_, i) => SAMPLES[dialect].map((sql) => sql.replaceAll(' t ', ` t${i} `))).flat();
}

/** Every outcome, a few at a time; the stream is disposed when the test ends (its ASTs are read in full until then). */
async function takeAll(sqls: string[], dialect: Dialect, options: Parameters<typeof parseInWorkers>[2], step = 3): Promise<ParseOutcome[]> {
  const stream = parseInWorkers(sqls, dialect, options);
  onTestFinished(() => stream.dispose());
  const out: ParseOutcome[] = [];
  while (out.length < sqls.length) out.push(...(await stream.take(step)));
  return out;
}

describe('parseInWorkers', () => {
  it.each(['postgres', 'mysql', 'sqlite'] as const)('gives what an in-thread parse gives, ASTs included, in order across chunks and workers (%s)', async (dialect) => {
    const sqls = list(dialect, 20);
    const here = sqls.map((sql) => parser.parse(sql, dialect));
    const there = await takeAll(sqls, dialect, { workers: 3, chunkSize: 7 });
    expect(there).toEqual(here);
    expect(there.filter((o) => !o.ok).length).toBeGreaterThan(0);
    // The workers answered: nothing fell back to this thread.
    expect(warnings).toEqual([]);
  });

  it('hands out ASTs whose root is rebuilt at once and whose values are parsed again here when first read', async () => {
    const [outcome] = await takeAll(['ALTER TABLE t ADD COLUMN c int; LOCK TABLE t'], 'postgres', { workers: 1 });
    if (!outcome?.ok) throw new Error('expected a parse');
    const [alter, lock] = outcome.statements.map((s) => s.ast as Record<string, Record<string, unknown>>);
    expect(Object.keys(alter!)).toEqual(['AlterTableStmt']);
    expect(alter!.LockStmt).toBeUndefined();
    expect(alter!.AlterTableStmt).toBe(alter!.AlterTableStmt);
    expect(alter).toMatchObject({ AlterTableStmt: { relation: { relname: 't' } } });
    expect(lock).toMatchObject({ LockStmt: { relations: [{ RangeVar: { relname: 't' } }] } });
    alter!.AlterTableStmt = { replaced: true };
    expect(alter).toEqual({ AlterTableStmt: { replaced: true } });
  });

  it('sends the primitives at a root as they are (node-sql-parser: ast.type)', async () => {
    const [outcome] = await takeAll(['LOCK TABLES t WRITE'], 'mysql', { workers: 1 });
    expect(outcome).toMatchObject({ ok: true, statements: [{ ast: { type: 'lock' } }] });
  });

  it('a statement with a very deep AST gives the outcome it gives in this thread', async () => {
    const deep = `SELECT ${'ARRAY['.repeat(2500)}1${']'.repeat(2500)}`;
    const sqls = ['SELECT 1', deep, 'SELEC 2', ...list('postgres', 3)];
    const here = sqls.map((sql) => parser.parse(sql, 'postgres'));
    const there = await takeAll(sqls, 'postgres', { workers: 1, chunkSize: 2 });
    // Too deep for toEqual's own recursion: the deep statement is compared without its AST, whose root it checks.
    const shallow = (o: ParseOutcome | undefined) => (o?.ok ? { ...o, statements: o.statements.map((s) => ({ ...s, ast: Object.keys(s.ast as object) })) } : o);
    expect(there.map(shallow)).toEqual(here.map(shallow));
    expect(there.filter((_, i) => i !== 1)).toEqual(here.filter((_, i) => i !== 1));
    expect(there[1]).toMatchObject({ ok: true, statements: [{ kind: 'select', parser: 'libpg-query' }] });
    expect(warnings).toEqual([]);
  });

  it('a worker that dies (out of memory here) has its statements parsed on this thread, with the same outcomes, and says so', async () => {
    const sqls = list('postgres', 30);
    const here = sqls.map((sql) => parser.parse(sql, 'postgres'));
    const stream = parseInWorkers(sqls, 'postgres', { workers: 1, chunkSize: 10, workerHeapMb: 1 });
    try {
      const there: ParseOutcome[] = [];
      while (there.length < sqls.length) there.push(...(await stream.take(7)));
      expect(there).toEqual(here);
      await vi.waitFor(() => expect(runningParseWorkers()).toBe(0));
      expect(warnings).toEqual([expect.stringContaining('stopped before it answered')]);
    } finally {
      await stream.dispose();
    }
  });

  it('a statement that overflows a parser inside a worker gives the outcome it gives in this thread', async () => {
    const deep = `SELECT ${'('.repeat(2000)}1${')'.repeat(2000)}`;
    const here = parser.parse(deep, 'mysql');
    expect(here).toMatchObject({ ok: false, syntaxError: false });
    const there = await takeAll([deep, 'SELECT 1'], 'mysql', { workers: 1 });
    expect(there).toEqual([here, parser.parse('SELECT 1', 'mysql')]);
    expect(warnings).toEqual([]);
  });

  it('reads ASTs in full until it is disposed, and says so after', async () => {
    const stream = parseInWorkers(['ALTER TABLE t ADD COLUMN c int'], 'postgres', { workers: 1 });
    const [outcome] = await stream.take(1);
    await stream.dispose();
    const ast = (outcome as Extract<ParseOutcome, { ok: true }>).statements[0]!.ast as Record<string, unknown>;
    expect(Object.keys(ast)).toEqual(['AlterTableStmt']);
    expect(() => ast.AlterTableStmt).toThrow(/disposed/);
  });

  it('terminates its workers on dispose, also when outcomes were left untaken', async () => {
    const stream = parseInWorkers(list('postgres', 50), 'postgres', { workers: 2, chunkSize: 10 });
    await stream.take(5);
    expect(runningParseWorkers()).toBe(2);
    await stream.dispose();
    await vi.waitFor(() => expect(runningParseWorkers()).toBe(0));
    await expect(stream.take(5)).rejects.toThrow(/disposed/);
  });

  it('an empty list starts no worker', async () => {
    const stream = parseInWorkers([], 'postgres');
    expect(runningParseWorkers()).toBe(0);
    expect(await stream.take(0)).toEqual([]);
    await stream.dispose();
  });
});
