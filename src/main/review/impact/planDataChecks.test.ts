import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialect } from '../../../shared/domain/connection';
import type { ColumnInfo, TableInfo } from '../../../shared/domain/SchemaModel';
import { StatementParser } from '../parse/StatementParser';
import { mysqlImpactFacts } from './facts/mysqlImpactFacts';
import { postgresImpactFacts } from './facts/postgresImpactFacts';
import { sqliteImpactFacts } from './facts/sqliteImpactFacts';
import { planDataChecks } from './planDataChecks';
import { statementDetails } from './statementDetails';

let parser: StatementParser;
beforeAll(async () => {
  parser = await StatementParser.create();
});
afterAll(() => parser.dispose());

const facts = { postgres: postgresImpactFacts, mysql: mysqlImpactFacts, sqlite: sqliteImpactFacts };

function table(columns: [string, string, boolean?][]): TableInfo {
  const cols: ColumnInfo[] = columns.map(([name, dataType, nullable], i) => ({ name, dataType, nullable: nullable ?? true, ordinal: i + 1 }));
  return { schema: 's', name: 't', kind: 'table', columns: cols, uniqueConstraints: [], foreignKeys: [], checks: [], indexes: [], triggers: [] };
}

function plan(dialect: Dialect, sql: string, info: TableInfo, rows = 10) {
  const outcome = parser.parse(sql, dialect);
  if (!outcome.ok) throw new Error(outcome.message);
  const statement = outcome.statements[0]!;
  return planDataChecks(statement, statementDetails(statement), { info, rows, rowsEstimated: false, rowsQuery: 'select count(*) from t', resolve: () => undefined }, facts[dialect]);
}

const sqlOf = (plans: ReturnType<typeof plan>) => plans.map((p) => p.sql ?? `skipped: ${p.skipped}`);

describe('planDataChecks: narrowing', () => {
  it.each([
    ['bigint to int', 'bigint', 'ALTER TABLE t ALTER COLUMN c TYPE int', ['select min("c"), max("c") from "s"."t"']],
    ['int to bigint (widening)', 'integer', 'ALTER TABLE t ALTER COLUMN c TYPE bigint', []],
    ['numeric to smallint', 'numeric(12,2)', 'ALTER TABLE t ALTER COLUMN c TYPE smallint', ['select min("c"), max("c") from "s"."t"']],
    ['text to int (a cast, not a narrowing)', 'text', 'ALTER TABLE t ALTER COLUMN c TYPE int', []],
    ['text to varchar(20)', 'text', 'ALTER TABLE t ALTER COLUMN c TYPE varchar(20)', ['select max(char_length("c")) from "s"."t"']],
    ['varchar(40) to varchar(20)', 'character varying(40)', 'ALTER TABLE t ALTER COLUMN c TYPE varchar(20)', ['select max(char_length("c")) from "s"."t"']],
    ['varchar(20) to varchar(40)', 'character varying(20)', 'ALTER TABLE t ALTER COLUMN c TYPE varchar(40)', []],
    ['numeric(12,2) to numeric(8,2)', 'numeric(12,2)', 'ALTER TABLE t ALTER COLUMN c TYPE numeric(8, 2)', ['select max(abs("c")) from "s"."t"']],
    ['numeric(8,2) to numeric(12,2)', 'numeric(8,2)', 'ALTER TABLE t ALTER COLUMN c TYPE numeric(12, 2)', []],
  ])('PostgreSQL %s', (_name, current, sql, expected) => {
    expect(sqlOf(plan('postgres', sql, table([['c', current]])))).toEqual(expected);
  });

  it('reads what it finds against the new type', () => {
    const [ints] = plan('postgres', 'ALTER TABLE t ALTER COLUMN c TYPE smallint', table([['c', 'integer']]));
    expect(ints!.interpret([-40000, 5])).toEqual({ result: 'min is -40,000 and max is 5; smallint holds -32,768 to 32,767', atRisk: true });
    expect(ints!.interpret([null, null])).toEqual({ result: 'no values (every row is NULL)', atRisk: false });
    const [big] = plan('postgres', 'ALTER TABLE t ALTER COLUMN c TYPE int', table([['c', 'bigint']]));
    expect(big!.interpret(['-9223372036854775808', '9223372036854775807']).atRisk).toBe(true);
    const [decimal] = plan('postgres', 'ALTER TABLE t ALTER COLUMN c TYPE numeric(5, 2)', table([['c', 'numeric(12,2)']]));
    expect(decimal!.interpret(['999.99'])).toEqual({ result: 'the largest absolute value is 999.99; numeric(5, 2) holds less than 1,000', atRisk: false });
    expect(decimal!.interpret(['1000.00']).atRisk).toBe(true);
  });

  it('MySQL: MODIFY restates NOT NULL, and an unsigned target has its own range', () => {
    expect(sqlOf(plan('mysql', 'ALTER TABLE t MODIFY c INT NOT NULL', table([['c', 'bigint(20)', true]])))).toEqual([
      'select min(`c`), max(`c`) from `s`.`t`',
      'select count(*) from `s`.`t` where `c` is null',
    ]);
    expect(sqlOf(plan('mysql', 'ALTER TABLE t MODIFY c INT NOT NULL', table([['c', 'int(11)', false]])))).toEqual([]);
    const [unsigned] = plan('mysql', 'ALTER TABLE t MODIFY c INT UNSIGNED', table([['c', 'bigint(20)']]));
    expect(unsigned!.interpret([-1, 10])).toEqual({ result: 'min is -1 and max is 10; int unsigned holds 0 to 4,294,967,295', atRisk: true });
  });
});

describe('planDataChecks: narrowing by the shared type facts', () => {
  it.each([
    // Every int fits 12 integer digits; a bigint does not fit 12.
    ['int to numeric(12,0)', 'integer', 'ALTER TABLE t ALTER COLUMN c TYPE numeric(12, 0)', []],
    ['bigint to numeric(12,0)', 'bigint', 'ALTER TABLE t ALTER COLUMN c TYPE numeric(12, 0)', ['select max(abs("c")) from "s"."t"']],
    // numeric(4,0) holds at most 9,999: every value fits a smallint.
    ['numeric(4,0) to smallint', 'numeric(4,0)', 'ALTER TABLE t ALTER COLUMN c TYPE smallint', []],
    ['varchar(20)[] to varchar(10)[]', 'character varying(20)[]', 'ALTER TABLE t ALTER COLUMN c TYPE varchar(10)[]', []],
  ])('PostgreSQL %s', (_name, current, sql, expected) => {
    expect(sqlOf(plan('postgres', sql, table([['c', current]])))).toEqual(expected);
  });

  it.each([
    // DECIMAL without precision is DECIMAL(10,0); CHAR without a length is CHAR(1).
    ['bigint to DECIMAL', 'bigint(20)', 'ALTER TABLE t MODIFY c DECIMAL', ['select max(abs(`c`)) from `s`.`t`']],
    ['varchar(10) to CHAR', 'varchar(10)', 'ALTER TABLE t MODIFY c CHAR', ['select max(char_length(`c`)) from `s`.`t`']],
    ['text to TINYTEXT', 'text', 'ALTER TABLE t MODIFY c TINYTEXT', ['select max(char_length(`c`)) from `s`.`t`']],
    ['tinytext to TEXT', 'tinytext', 'ALTER TABLE t MODIFY c TEXT', []],
  ])('MySQL %s', (_name, current, sql, expected) => {
    expect(sqlOf(plan('mysql', sql, table([['c', current, false]])))).toEqual(expected);
  });

  it('reads the MySQL DECIMAL default in what it reports', () => {
    const [decimal] = plan('mysql', 'ALTER TABLE t MODIFY c DECIMAL', table([['c', 'bigint(20)', false]]));
    expect(decimal!.interpret(['12345678901'])).toEqual({ result: 'the largest absolute value is 12345678901; decimal holds less than 10,000,000,000', atRisk: true });
  });
});

describe('planDataChecks: constraints and drops', () => {
  it('counts NULLs of a new primary key’s nullable columns, then its duplicates', () => {
    expect(sqlOf(plan('postgres', 'ALTER TABLE t ADD PRIMARY KEY (a, b)', table([['a', 'int', false], ['b', 'int', true]])))).toEqual([
      'select count(*) from "s"."t" where "b" is null',
      'select count(*), coalesce(sum(d.n), 0) from (select count(*) as n from "s"."t" where "a" is not null and "b" is not null group by "a", "b" having count(*) > 1) d',
    ]);
  });

  it('skips what an index built beforehand or NOT VALID leaves unchecked', () => {
    expect(plan('postgres', 'ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX t_idx', table([['a', 'int']]))).toEqual([]);
    expect(plan('postgres', 'ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id) NOT VALID', table([['a', 'int']]))).toEqual([]);
  });

  it('says which column is missing rather than querying it', () => {
    expect(sqlOf(plan('postgres', 'ALTER TABLE t ALTER COLUMN gone SET NOT NULL', table([['a', 'int']])))).toEqual([
      'skipped: column t.gone is not on the server (added or renamed earlier in this set?)',
    ]);
    expect(sqlOf(plan('postgres', 'ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id)', table([['a', 'int']])))).toEqual([
      'skipped: table u is not on the server (created earlier in this set?)',
    ]);
  });

  it('counts rows for a NOT NULL column without default only where the server refuses it', () => {
    expect(plan('postgres', 'ALTER TABLE t ADD COLUMN n int NOT NULL', table([]), 3).map((p) => p.interpret([]))).toEqual([{ result: '3 rows', atRisk: true }]);
    expect(plan('postgres', 'ALTER TABLE t ADD COLUMN n int NOT NULL DEFAULT 0', table([]))).toEqual([]);
    expect(plan('postgres', 'ALTER TABLE t ADD COLUMN n int NOT NULL', table([]), 0).map((p) => p.interpret([]).atRisk)).toEqual([false]);
    expect(plan('mysql', 'ALTER TABLE t ADD COLUMN n INT NOT NULL', table([]))).toEqual([]);
  });

  it('an UPDATE or a DELETE with WHERE loses no whole table', () => {
    expect(plan('sqlite', 'DELETE FROM t WHERE id = 1', table([]))).toEqual([]);
    expect(plan('sqlite', 'DELETE FROM t', table([])).map((p) => p.what)).toEqual(['rows in t']);
  });
});
