import { describe, expect, it } from 'vitest';
import type { Dialect } from '../../shared/domain/connection';
import { classifyStatements } from './classifyStatements';

const one = (sql: string, dialect: Dialect = 'postgres'): { risk: string; reason?: string } => {
  const all = classifyStatements(sql, dialect);
  expect(all).toHaveLength(1);
  const { risk, reason } = all[0]!;
  return reason === undefined ? { risk } : { risk, reason };
};

describe('classifyStatements: safe', () => {
  it.each([
    'select * from t',
    'SELECT count(*) FROM t WHERE a = 1',
    '(select 1) union (select 2)',
    'with x as (select 1) select * from x',
    'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r',
    'explain select * from t',
    'explain delete from t',
    'EXPLAIN (ANALYZE false, COSTS) DELETE FROM t',
    'show search_path',
    'values (1), (2)',
    'table t',
    'set search_path = public',
    'begin',
    'commit',
    "select 'drop table t; delete from t'",
    'select 1 -- drop table t',
    '/* truncate t */ select 1',
    'select * from t for update',
  ])('%s', (sql) => {
    expect(one(sql).risk).toBe('safe');
  });

  it('knows dialect-specific reads', () => {
    expect(one('describe t', 'mysql').risk).toBe('safe');
    expect(one('SELECT a INTO @x FROM t LIMIT 1', 'mysql').risk).toBe('safe');
    expect(one('pragma table_info(t)', 'sqlite').risk).toBe('safe');
    expect(one('explain query plan select * from t', 'sqlite').risk).toBe('safe');
    expect(one('show tables', 'mysql').risk).toBe('safe');
  });
});

describe('classifyStatements: write', () => {
  it.each([
    'insert into t values (1)',
    'INSERT INTO t SELECT * FROM u',
    'update t set a = 1 where id = 2',
    'UPDATE t SET a = 1 FROM u WHERE t.id = u.id',
    'delete from t where id in (select id from u)',
    'DELETE FROM t USING u WHERE t.id = u.id RETURNING *',
    'create table t (a int)',
    'create table t as select * from u',
    'alter table t add column c int',
    'ALTER TABLE t ALTER COLUMN c DROP DEFAULT',
    'ALTER TABLE t ALTER COLUMN c DROP NOT NULL',
    'ALTER TABLE t DROP CONSTRAINT t_pk',
    'alter index i rename to j',
    'grant select on t to bob',
    'select * into newtable from t',
    'DO $$ begin delete from t; end $$',
    "create function f() returns void language sql as $$ delete from t $$",
    'vacuum',
    'copy t from stdin',
    'merge into t using u on t.id = u.id when matched then delete',
    'with x as (select 1) insert into t select * from x',
    'explain analyze insert into t values (1)',
  ])('%s', (sql) => {
    expect(one(sql).risk).toBe('write');
  });

  it('knows dialect-specific writes', () => {
    expect(one('replace into t values (1)', 'mysql').risk).toBe('write');
    expect(one("SELECT * FROM t INTO OUTFILE '/tmp/x'", 'mysql').risk).toBe('write');
    expect(one('SET GLOBAL max_connections = 10', 'mysql').risk).toBe('write');
    expect(one('pragma journal_mode = wal', 'sqlite').risk).toBe('write');
    expect(one('alter table t drop index i', 'mysql').risk).toBe('write');
    expect(one('ALTER TABLE t DROP FOREIGN KEY fk', 'mysql').risk).toBe('write');
    expect(one('CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM u; END', 'sqlite').risk).toBe('write');
  });

  it('treats an unknown statement as a write', () => {
    expect(one('frobnicate the database').risk).toBe('write');
  });
});

describe('classifyStatements: destructive', () => {
  it.each([
    ['drop table t', 'DROP TABLE'],
    ['DROP MATERIALIZED VIEW IF EXISTS mv', 'DROP MATERIALIZED VIEW'],
    ['drop schema s cascade', 'DROP SCHEMA'],
    ['drop index i', 'DROP INDEX'],
    ['truncate t', 'TRUNCATE'],
    ['TRUNCATE TABLE t RESTART IDENTITY', 'TRUNCATE'],
    ['delete from t', 'DELETE without WHERE'],
    ['DELETE FROM t RETURNING *', 'DELETE without WHERE'],
    ['delete from t where (select 1) = 1 or true', undefined],
    ['update t set a = 1', 'UPDATE without WHERE'],
    ['update t set a = (select b from u where u.id = 1)', 'UPDATE without WHERE'],
    ['delete from t where 1 = 1', 'DELETE with a WHERE that is always true'],
    ['update t set a = 1 where true', 'UPDATE with a WHERE that is always true'],
    ['alter table t drop column c', 'ALTER TABLE … DROP COLUMN'],
    ['ALTER TABLE t DROP c', 'ALTER TABLE … DROP COLUMN'],
    ['ALTER TABLE IF EXISTS t ADD x int, DROP COLUMN IF EXISTS c', 'ALTER TABLE … DROP COLUMN'],
    ['with x as (select id from u) delete from t', 'DELETE without WHERE'],
    ['WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d', 'DELETE without WHERE'],
    ['explain analyze delete from t', 'EXPLAIN ANALYZE runs it: DELETE without WHERE'],
    ['EXPLAIN (ANALYZE, BUFFERS) UPDATE t SET a = 1', 'EXPLAIN ANALYZE runs it: UPDATE without WHERE'],
  ] as const)('%s', (sql, reason) => {
    const c = one(sql);
    if (reason === undefined) {
      expect(c.risk).toBe('write');
    } else {
      expect(c).toEqual({ risk: 'destructive', reason });
    }
  });

  it('knows dialect-specific destructive forms', () => {
    expect(one('delete t1 from t1 join t2 on t1.id = t2.id', 'mysql')).toEqual({ risk: 'destructive', reason: 'DELETE without WHERE' });
    expect(one('delete from t limit 10', 'mysql').risk).toBe('destructive');
    expect(one('alter table t drop partition p1', 'mysql')).toEqual({ risk: 'destructive', reason: 'ALTER TABLE … DROP PARTITION' });
    expect(one('alter table t drop column c', 'sqlite')).toEqual({ risk: 'destructive', reason: 'ALTER TABLE … DROP COLUMN' });
    expect(one('/*!40101 DROP TABLE t */', 'mysql')).toEqual({ risk: 'destructive', reason: 'DROP TABLE' });
    expect(one('DELETE FROM `t` # where id = 1', 'mysql')).toEqual({ risk: 'destructive', reason: 'DELETE without WHERE' });
  });

  it('is not fooled by keywords in strings, identifiers and comments', () => {
    expect(one("delete from t where note = 'no where clause'").risk).toBe('write');
    expect(one('delete from t -- where id = 1').risk).toBe('destructive');
    expect(one('delete from "where"').risk).toBe('destructive');
    expect(one("update t set a = 'x where y'").risk).toBe('destructive');
  });

  it('judges EXPLAIN ANALYZE of a data-modifying CTE by what it runs', () => {
    expect(one('EXPLAIN ANALYZE WITH d AS (DELETE FROM t RETURNING id) SELECT count(*) FROM d').risk).toBe('destructive');
    expect(one('EXPLAIN WITH d AS (DELETE FROM t RETURNING id) SELECT count(*) FROM d').risk).toBe('safe');
  });

  it('does not call a narrowed WHERE always true', () => {
    expect(one('update t set a = 1 where 1 = 1 and id = 2').risk).toBe('write');
    expect(one('delete from t where 1', 'mysql')).toEqual({ risk: 'destructive', reason: 'DELETE with a WHERE that is always true' });
  });

  it('keeps destructive words inside literals and bodies at their place', () => {
    expect(one("comment on table t is 'drop table x; delete from y'").risk).toBe('write');
    expect(one('CREATE PROCEDURE p() BEGIN TRUNCATE t; DROP TABLE u; END', 'mysql').risk).toBe('write');
    expect(classifyStatements('delete from t where id = 1; delete from t', 'postgres').map((c) => c.risk)).toEqual(['write', 'destructive']);
  });

  it('classifies each statement of a script with its offsets', () => {
    const sql = 'select 1;\ndrop table t;\nupdate t set a = 1 where id = 1';
    const all = classifyStatements(sql, 'postgres');
    expect(all.map((c) => c.risk)).toEqual(['safe', 'destructive', 'write']);
    expect(sql.slice(all[1]!.start, all[1]!.end)).toBe('drop table t');
  });
});
