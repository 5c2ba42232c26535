import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialect } from '../../../shared/domain/connection';
import type { ColumnInfo } from '../../../shared/domain/SchemaModel';
import { StatementParser } from '../parse/StatementParser';
import { mysqlImpactFacts } from './facts/mysqlImpactFacts';
import { postgresImpactFacts } from './facts/postgresImpactFacts';
import { sqliteImpactFacts } from './facts/sqliteImpactFacts';
import type { ImpactFacts, LockEffect } from './ImpactFacts';
import { statementDetails } from './statementDetails';

let parser: StatementParser;
beforeAll(async () => {
  parser = await StatementParser.create();
});
afterAll(() => parser.dispose());

const facts: Record<Dialect, ImpactFacts> = { postgres: postgresImpactFacts, mysql: mysqlImpactFacts, sqlite: sqliteImpactFacts };

function column(name: string, dataType: string, nullable = true): ColumnInfo {
  return { name, ordinal: 1, dataType, nullable };
}

function lock(dialect: Dialect, sql: string, serverVersion: string, columns: ColumnInfo[] = [], journalMode?: string, proven: string[] = []): LockEffect | undefined {
  const outcome = parser.parse(sql, dialect);
  if (!outcome.ok) throw new Error(`${sql}: ${outcome.message}`);
  const statement = outcome.statements[0]!;
  return facts[dialect].lockOf(statement, statementDetails(statement), {
    serverVersion,
    tableLabel: 't',
    newTable: false,
    currentColumn: (name) => columns.find((c) => c.name === name),
    notNullProven: (name) => proven.includes(name),
    referenceLabel: (r) => r.table,
    session: { searchPath: [], ...(journalMode ? { journalMode } : {}) },
  });
}

const modeAndWork = (effect: LockEffect | undefined) => (effect ? [effect.mode, effect.work] : undefined);

describe('PostgreSQL lock facts', () => {
  it.each([
    ['ALTER TABLE t ADD COLUMN c text DEFAULT now()', '15.4', ['ACCESS EXCLUSIVE', 'catalog']],
    ['ALTER TABLE t ADD COLUMN c text DEFAULT now()', '10.23', ['ACCESS EXCLUSIVE', 'rewrite']],
    ['ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid()', '15.4', ['ACCESS EXCLUSIVE', 'rewrite']],
    ['ALTER TABLE t ADD COLUMN c bigserial', '15.4', ['ACCESS EXCLUSIVE', 'rewrite']],
    ['ALTER TABLE t ALTER COLUMN c SET NOT NULL', '15.4', ['ACCESS EXCLUSIVE', 'scan']],
    ['ALTER TABLE t ADD CONSTRAINT c_chk CHECK (c > 0) NOT VALID', '15.4', ['ACCESS EXCLUSIVE', 'catalog']],
    ['ALTER TABLE t VALIDATE CONSTRAINT c_chk', '15.4', ['SHARE UPDATE EXCLUSIVE', 'scan']],
    ['ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (u) REFERENCES u (id) NOT VALID', '15.4', ['SHARE ROW EXCLUSIVE', 'catalog']],
    ['ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY USING INDEX t_idx', '15.4', ['ACCESS EXCLUSIVE', 'catalog']],
    ['CREATE INDEX i ON t (c)', '15.4', ['SHARE', 'index-build']],
    ['DROP INDEX CONCURRENTLY i', '15.4', ['SHARE UPDATE EXCLUSIVE', 'catalog']],
    ['VACUUM FULL t', '15.4', ['ACCESS EXCLUSIVE', 'rewrite']],
    ['UPDATE t SET c = 1', '15.4', ['ROW EXCLUSIVE', 'rewrite']],
    ['UPDATE t SET c = 1 WHERE id = 2', '15.4', ['ROW EXCLUSIVE', 'unknown']],
    ['CREATE TABLE n (id int)', '15.4', undefined],
  ])('%s on %s', (sql, version, expected) => {
    expect(modeAndWork(lock('postgres', sql, version))).toEqual(expected);
  });

  it.each([
    ['varchar(40) to text', 'character varying(40)', 'ALTER TABLE t ALTER COLUMN c TYPE text', 'catalog'],
    ['varchar(40) to varchar(80)', 'character varying(40)', 'ALTER TABLE t ALTER COLUMN c TYPE varchar(80)', 'catalog'],
    ['varchar(40) to varchar(20)', 'character varying(40)', 'ALTER TABLE t ALTER COLUMN c TYPE varchar(20)', 'rewrite'],
    ['numeric(10,2) to numeric(12,2)', 'numeric(10,2)', 'ALTER TABLE t ALTER COLUMN c TYPE numeric(12, 2)', 'catalog'],
    ['int to bigint', 'integer', 'ALTER TABLE t ALTER COLUMN c TYPE bigint', 'rewrite'],
    ['an unknown column', undefined, 'ALTER TABLE t ALTER COLUMN c TYPE text', 'rewrite'],
  ])('a type change from %s is %s', (_name, current, sql, work) => {
    expect(lock('postgres', sql, '15.4', current ? [column('c', current)] : [])?.work).toBe(work);
  });

  it('locks both tables for a new foreign key, and the referenced one for a new table that references it', () => {
    expect(lock('postgres', 'ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (u) REFERENCES u (id)', '15.4')).toEqual({
      mode: 'SHARE ROW EXCLUSIVE',
      blocks: 'writes (INSERT, UPDATE, DELETE) to t and u; reads go on',
      blocksWrites: true,
      work: 'scan',
      alsoLocks: ['u'],
    });
    expect(lock('postgres', 'CREATE TABLE n (id int, u_id int REFERENCES u (id))', '15.4')).toMatchObject({ mode: 'SHARE ROW EXCLUSIVE', blocks: 'writes (INSERT, UPDATE, DELETE) to u; reads go on', work: 'none' });
  });

  it('sets NOT NULL without a scan on PostgreSQL 12+ when a validated CHECK (c IS NOT NULL) proves it', () => {
    expect(lock('postgres', 'ALTER TABLE t ALTER COLUMN c SET NOT NULL', '15.4', [], undefined, ['c'])?.work).toBe('catalog');
    expect(lock('postgres', 'ALTER TABLE t ALTER COLUMN c SET NOT NULL', '11.22', [], undefined, ['c'])?.work).toBe('scan');
    expect(lock('postgres', 'ALTER TABLE t ALTER COLUMN c SET NOT NULL', '15.4', [], undefined, ['d'])?.work).toBe('scan');
  });

  it('keeps the strongest lock and the heaviest work of several sub-commands', () => {
    expect(modeAndWork(lock('postgres', 'ALTER TABLE t VALIDATE CONSTRAINT c, ALTER COLUMN c TYPE bigint', '15.4', [column('c', 'integer')]))).toEqual(['ACCESS EXCLUSIVE', 'rewrite']);
  });
});

describe('MySQL and MariaDB lock facts', () => {
  it.each([
    ['ALTER TABLE t ADD COLUMN c INT', '10.11.6-MariaDB', ['ALGORITHM=INSTANT', 'catalog']],
    ['ALTER TABLE t ADD COLUMN c INT', '10.2.44-MariaDB', ['ALGORITHM=INPLACE, LOCK=NONE', 'rewrite']],
    ['ALTER TABLE t ADD COLUMN c INT', '8.0.36', ['ALGORITHM=INSTANT', 'catalog']],
    ['ALTER TABLE t ADD COLUMN c INT', '8.0.11', ['ALGORITHM=INPLACE, LOCK=NONE', 'rewrite']],
    ['ALTER TABLE t DROP COLUMN c', '8.0.28', ['ALGORITHM=INPLACE, LOCK=NONE', 'rewrite']],
    ['ALTER TABLE t DROP COLUMN c', '8.0.29', ['ALGORITHM=INSTANT', 'catalog']],
    ['ALTER TABLE t ADD INDEX i (c)', '8.0.36', ['ALGORITHM=INPLACE, LOCK=NONE', 'index-build']],
    ['ALTER TABLE t ADD PRIMARY KEY (c)', '8.0.36', ['ALGORITHM=INPLACE, LOCK=NONE', 'rewrite']],
    ['ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (c) REFERENCES u (id)', '8.0.36', ['ALGORITHM=COPY, LOCK=SHARED', 'rewrite']],
    ['ALTER TABLE t ADD COLUMN c INT, ALGORITHM=COPY', '8.0.36', ['ALGORITHM=COPY, LOCK=SHARED', 'rewrite']],
    ['ALTER TABLE t ADD COLUMN c INT, LOCK=EXCLUSIVE, ALGORITHM=INPLACE', '8.0.36', ['ALGORITHM=INPLACE, LOCK=EXCLUSIVE', 'rewrite']],
    ['ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (c) REFERENCES u (id), ALGORITHM=INPLACE', '8.0.36', ['ALGORITHM=COPY, LOCK=SHARED (the server refuses ALGORITHM=INPLACE for this change)', 'rewrite']],
    ['CREATE INDEX i ON t (c)', '8.0.36', ['ALGORITHM=INPLACE, LOCK=NONE', 'index-build']],
    ['DROP TABLE t', '8.0.36', ['exclusive metadata lock', 'catalog']],
    ['DELETE FROM t', '8.0.36', ['row locks', 'rewrite']],
  ])('%s on %s', (sql, version, expected) => {
    expect(modeAndWork(lock('mysql', sql, version))).toEqual(expected);
  });

  it.each([
    // MariaDB 10.11 accepts ALGORITHM=INSTANT for it (test/integration/review/mysqlOnlineDdlFacts.db.test.ts).
    ['widening varchar within its length prefix', 'varchar(100)', 'ALTER TABLE t MODIFY c VARCHAR(120)', true, ['ALGORITHM=INSTANT', 'catalog']],
    ['widening varchar across the 255-byte prefix', 'varchar(50)', 'ALTER TABLE t MODIFY c VARCHAR(100)', true, ['ALGORITHM=COPY, LOCK=SHARED', 'rewrite']],
    ['only adding NOT NULL', 'int(11)', 'ALTER TABLE t MODIFY c INT NOT NULL', true, ['ALGORITHM=INPLACE, LOCK=NONE', 'rewrite']],
    ['restating the same column', 'bigint(20)', 'ALTER TABLE t MODIFY c BIGINT', true, ['ALGORITHM=INSTANT', 'catalog']],
    ['narrowing bigint to int', 'bigint(20)', 'ALTER TABLE t MODIFY c INT', true, ['ALGORITHM=COPY, LOCK=SHARED', 'rewrite']],
  ])('%s', (_name, current, sql, nullable, expected) => {
    expect(modeAndWork(lock('mysql', sql, '10.11.6-MariaDB', [column('c', current, nullable)]))).toEqual(expected);
  });

  it.each([
    ['at the end', 'ALTER TABLE t ADD COLUMN c INT', '8.0.28', ['ALGORITHM=INSTANT', 'catalog']],
    ['FIRST', 'ALTER TABLE t ADD COLUMN c INT FIRST', '8.0.28', ['ALGORITHM=INPLACE, LOCK=NONE', 'rewrite']],
    ['AFTER a column', 'ALTER TABLE t ADD COLUMN c INT AFTER b', '8.0.12', ['ALGORITHM=INPLACE, LOCK=NONE', 'rewrite']],
    ['AFTER a column', 'ALTER TABLE t ADD COLUMN c INT AFTER b', '8.0.29', ['ALGORITHM=INSTANT', 'catalog']],
    ['FIRST', 'ALTER TABLE t ADD COLUMN c INT FIRST', '10.3.39-MariaDB', ['ALGORITHM=INPLACE, LOCK=NONE', 'rewrite']],
    ['at the end', 'ALTER TABLE t ADD COLUMN c INT', '10.3.39-MariaDB', ['ALGORITHM=INSTANT', 'catalog']],
    ['FIRST', 'ALTER TABLE t ADD COLUMN c INT FIRST', '10.4.34-MariaDB', ['ALGORITHM=INSTANT', 'catalog']],
  ])('adds a column %s instantly only where the server can (%s on %s)', (_where, sql, version, expected) => {
    expect(modeAndWork(lock('mysql', sql, version))).toEqual(expected);
  });

  it('copies for a STORED generated column and blocks writes for an AUTO_INCREMENT one, even where ADD COLUMN is instant', () => {
    expect(modeAndWork(lock('mysql', 'ALTER TABLE t ADD COLUMN c INT AS (a + 1) STORED', '8.0.36'))).toEqual(['ALGORITHM=COPY, LOCK=SHARED', 'rewrite']);
    expect(modeAndWork(lock('mysql', 'ALTER TABLE t ADD COLUMN c INT AS (a + 1) VIRTUAL', '8.0.36'))).toEqual(['ALGORITHM=INSTANT', 'catalog']);
    expect(lock('mysql', 'ALTER TABLE t ADD COLUMN c INT AUTO_INCREMENT UNIQUE', '8.0.36')).toMatchObject({ mode: 'ALGORITHM=INPLACE, LOCK=SHARED', work: 'rewrite', blocksWrites: true });
  });

  it('widens a varchar in place without a rebuild on MySQL, which has no instant widening', () => {
    expect(modeAndWork(lock('mysql', 'ALTER TABLE t MODIFY c VARCHAR(120)', '8.0.36', [column('c', 'varchar(100)')]))).toEqual(['ALGORITHM=INPLACE, LOCK=NONE', 'catalog']);
  });

  it('names the clause the server refuses, from the same facts as the rules', () => {
    expect(lock('mysql', 'ALTER TABLE t ADD COLUMN c INT AUTO_INCREMENT UNIQUE, LOCK=NONE', '8.0.36')?.mode).toBe('ALGORITHM=INPLACE, LOCK=SHARED (the server refuses LOCK=NONE for this change)');
    expect(lock('mysql', 'ALTER TABLE t ADD INDEX i (c), ALGORITHM=INSTANT', '10.11.6-MariaDB')?.mode).toBe('ALGORITHM=INPLACE, LOCK=NONE (the server refuses ALGORITHM=INSTANT for this change)');
    expect(lock('mysql', 'ALTER TABLE t ADD INDEX i (c), ALGORITHM=INPLACE', '10.11.6-MariaDB')?.mode).toBe('ALGORITHM=INPLACE, LOCK=NONE');
  });

  it('rebuilds in place for ENGINE=InnoDB and copies for a character set conversion', () => {
    expect(modeAndWork(lock('mysql', 'ALTER TABLE t ENGINE = InnoDB', '10.11.6-MariaDB'))).toEqual(['ALGORITHM=INPLACE, LOCK=NONE', 'rewrite']);
    expect(modeAndWork(lock('mysql', 'ALTER TABLE t CONVERT TO CHARACTER SET latin1', '10.11.6-MariaDB'))).toEqual(['ALGORITHM=COPY, LOCK=SHARED', 'rewrite']);
  });

  it('appends ENUM members instantly while their storage stays, and copies otherwise', () => {
    expect(modeAndWork(lock('mysql', "ALTER TABLE t MODIFY c ENUM('a','b','c')", '8.0.36', [column('c', "enum('a','b')")]))).toEqual(['ALGORITHM=INSTANT', 'catalog']);
    expect(modeAndWork(lock('mysql', "ALTER TABLE t MODIFY c ENUM('c','a','b')", '8.0.36', [column('c', "enum('a','b')")]))).toEqual(['ALGORITHM=COPY, LOCK=SHARED', 'rewrite']);
  });

  it('says a blocking lock blocks writes and an online one blocks none', () => {
    expect(lock('mysql', 'ALTER TABLE t MODIFY c INT', '8.0.36', [column('c', 'bigint')])).toMatchObject({ blocks: 'writes to t; reads go on', blocksWrites: true });
    expect(lock('mysql', 'CREATE INDEX i ON t (c)', '8.0.36')?.blocksWrites).toBe(false);
  });
});

describe('SQLite lock facts', () => {
  it.each([
    ['ALTER TABLE t ADD COLUMN c TEXT', '3.45.1', 'catalog'],
    ['ALTER TABLE t ADD COLUMN c TEXT CHECK (c <> \'\')', '3.45.1', 'scan'],
    ['ALTER TABLE t DROP COLUMN c', '3.45.1', 'rewrite'],
    ['ALTER TABLE t DROP COLUMN c', '3.34.0', 'unknown'],
    ['ALTER TABLE t RENAME COLUMN c TO d', '3.45.1', 'catalog'],
    ['CREATE INDEX i ON t (c)', '3.45.1', 'index-build'],
    ['DELETE FROM t', '3.45.1', 'scan'],
  ])('%s on %s', (sql, version, work) => {
    expect(lock('sqlite', sql, version)?.work).toBe(work);
  });

  it('says readers go on in WAL mode and wait at commit with a rollback journal', () => {
    expect(lock('sqlite', 'CREATE INDEX i ON t (c)', '3.45.1', [], 'wal')?.blocks).toBe('all other writers of the database (not only t) until its transaction ends; readers go on (WAL mode)');
    expect(lock('sqlite', 'CREATE INDEX i ON t (c)', '3.45.1', [], 'delete')?.blocks).toBe('all other writers of the database (not only t) until its transaction ends, and readers while it commits (delete journal)');
  });
});
