import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDriver } from '../../../src/main/db/createDriver';
import type { Driver } from '../../../src/main/db/Driver';
import { analyzeImpact } from '../../../src/main/review/impact/analyzeImpact';
import { BoundedRunner } from '../../../src/main/review/impact/BoundedRunner';
import { mysqlImpactFacts } from '../../../src/main/review/impact/facts/mysqlImpactFacts';
import { readMigrations } from '../../../src/main/review/readers/readMigrations';
import { diffSchemas } from '../../../src/main/review/sandbox/diffSchemas';
import { connectionConfigSchema } from '../../../src/shared/domain/connection';
import { parseConnectionUrl } from '../../../src/shared/domain/connectionUrl';
import type { MigrationSet, StatementImpact } from '../../../src/shared/domain/review';
import { testMysqlUrl } from '../testEnv';

const fixture = new URL('../../fixtures/review/impact/mysql', import.meta.url).pathname;
const database = `quarry_impact_test_${process.pid}_${Date.now().toString(36)}`;
let owner: mysql.Connection;

async function openReadOnly(): Promise<Driver> {
  const { config, secrets } = parseConnectionUrl(testMysqlUrl());
  return createDriver({ config: connectionConfigSchema.parse({ ...config, name: 'impact', database, allowWrites: false }), secrets });
}

async function dataNow(): Promise<string> {
  const parts: string[] = [];
  for (const t of ['users', 'orders', 'order_items', 'audit', 'tags']) parts.push(JSON.stringify((await owner.query(`select * from ${database}.${t} order by 1`))[0]));
  return parts.join('\n');
}

beforeAll(async () => {
  owner = await mysql.createConnection({ uri: testMysqlUrl(), multipleStatements: true });
  await owner.query(`create database ${database}`);
  await owner.query(`use ${database}`);
  await owner.query(`
    create table users (id bigint primary key, email varchar(100), nickname varchar(100)) engine = InnoDB;
    insert into users values (1, 'u1', null), (2, 'u2', null), (3, 'u3', null), (4, 'u0', 'nick4'), (5, 'u1', 'nick5'),
      (6, 'u2', 'nick6'), (7, 'u3', 'nick7'), (8, 'u0', 'nick8'), (9, 'solo9', 'nick9'), (10, 'solo10', repeat('x', 50));
    create table orders (id bigint primary key, user_id bigint, amount bigint, note varchar(100), foreign key (user_id) references users (id)) engine = InnoDB;
    insert into orders values (1, 1, 1000, 'n1'), (2, 2, 2000, 'n2'), (3, 3, 3000, 'n3'), (4, 4, 4000, 'n4'), (5, 5, 3000000000, null);
    create table order_items (id int primary key, order_id bigint, foreign key (order_id) references orders (id)) engine = InnoDB;
    insert into order_items values (1, 1), (2, 2);
    create table audit (id int primary key, user_ref bigint) engine = InnoDB;
    insert into audit values (1, 1), (2, 2), (3, 999), (4, null);
    create table tags (id int primary key, name text) engine = InnoDB;
    insert into tags values (1, 'a'), (2, 'b');
  `);
});

afterAll(async () => {
  await owner?.query(`drop database if exists ${database}`).catch(() => undefined);
  await owner?.end();
});

const read = (): Promise<MigrationSet> => readMigrations(fixture, { dialect: 'mysql', format: 'flyway' });
const at = (impacts: StatementImpact[], file: string, line: number): StatementImpact => {
  const found = impacts.find((s) => s.location.file.endsWith(file) && s.location.line === line);
  if (!found) throw new Error(`no impact at ${file}:${line}; have ${impacts.map((s) => `${s.location.file}:${s.location.line}`).join(', ')}`);
  return found;
};

describe('analyzeImpact on MariaDB', () => {
  it('reports online-DDL algorithms and locks, sizes, blast radius and data checks, on a read-only session that changes nothing', async () => {
    const driver = await openReadOnly();
    const schemaBefore = await driver.introspect();
    const dataBefore = await dataNow();
    let report;
    try {
      expect(driver.readOnly).toBe(true);
      report = await analyzeImpact(await read(), { dialect: 'mysql', driver, connectionLabel: 'test mariadb' });
      expect(diffSchemas(schemaBefore, await driver.introspect())).toEqual([]);
    } finally {
      await driver.dispose();
    }
    expect(await dataNow()).toBe(dataBefore);
    expect(report.serverVersion).toMatch(/MariaDB/);
    const s = report.statements;
    expect(s).toHaveLength(13);
    const users = `${database}.users`;

    const modify = at(s, 'V1__users.sql', 1);
    expect(modify.lock).toEqual({ mode: 'ALGORITHM=COPY, LOCK=SHARED', blocks: `writes to ${users}; reads go on` });
    expect(modify.work).toBe('rewrite');
    expect(modify.table).toMatchObject({ schema: database, name: 'users', rows: 10, rowsEstimated: false });
    expect(modify.estimate!.seconds).toBe(modify.table!.bytes / 100e6);
    expect(modify.blastRadius).toEqual([`${database}.order_items`, `${database}.orders`]);
    expect(modify.dataChecks).toEqual([
      {
        what: 'values of users.nickname against varchar(20)',
        query: `select max(char_length(\`nickname\`)) from \`${database}\`.\`users\``,
        result: 'the longest value has 50 characters; varchar(20) holds 20',
        atRisk: true,
      },
      { what: 'NULLs in users.nickname', query: `select count(*) from \`${database}\`.\`users\` where \`nickname\` is null`, result: '3 rows are NULL', atRisk: true },
    ]);

    const unique = at(s, 'V1__users.sql', 2);
    expect(unique.lock?.mode).toBe('ALGORITHM=INPLACE, LOCK=NONE');
    expect(unique.work).toBe('index-build');
    expect(unique.dataChecks).toEqual([expect.objectContaining({ what: 'duplicates of (email) in users', result: '4 values appear more than once (8 rows)', atRisk: true })]);

    const index = at(s, 'V1__users.sql', 3);
    expect(index.lock?.mode).toBe('ALGORITHM=INPLACE, LOCK=NONE');
    expect(index.dataChecks).toEqual([expect.objectContaining({ result: 'no value appears twice', atRisk: false })]);

    // MariaDB 10.3.2+ adds a column in the catalog.
    const addColumn = at(s, 'V1__users.sql', 4);
    expect(addColumn.lock?.mode).toBe('ALGORITHM=INSTANT');
    expect(addColumn.work).toBe('catalog');

    const toInt = at(s, 'V2__orders.sql', 1);
    expect(toInt.lock?.mode).toBe('ALGORITHM=COPY, LOCK=SHARED');
    expect(toInt.dataChecks).toEqual([expect.objectContaining({ result: 'min is 1,000 and max is 3,000,000,000; int holds -2,147,483,648 to 2,147,483,647', atRisk: true })]);

    // varchar(100) to varchar(120) keeps its 2-byte length prefix (utf8mb4): catalog only, and MariaDB 10.11 accepts
    // ALGORITHM=INSTANT for it (pinned by mysqlOnlineDdlFacts.db.test.ts).
    const widen = at(s, 'V2__orders.sql', 2);
    expect(widen.lock?.mode).toBe('ALGORITHM=INSTANT');
    expect(widen.work).toBe('catalog');
    expect(widen.dataChecks).toEqual([]);

    const fk = at(s, 'V2__orders.sql', 3);
    expect(fk.lock?.mode).toBe('ALGORITHM=COPY, LOCK=SHARED');
    expect(fk.blastRadius).toEqual([`${database}.order_items`, `${database}.orders`, users]);
    expect(fk.dataChecks).toEqual([expect.objectContaining({ result: '1 row has no match', atRisk: true })]);

    const drop = at(s, 'V2__orders.sql', 4);
    expect(drop.lock?.mode).toBe('ALGORITHM=INSTANT');
    expect(drop.dataChecks).toEqual([expect.objectContaining({ what: 'values in orders.note', result: '4 rows hold a value that is lost', atRisk: true })]);

    const create = at(s, 'V3__shipments.sql', 1);
    expect(create.table).toBeUndefined();
    expect(create.work).toBe('none');
    expect(create.blastRadius).toEqual([`${database}.order_items`, `${database}.orders`, users]);
    expect(at(s, 'V3__shipments.sql', 2).estimate).toEqual({ seconds: 0, assumption: 'the table is new in this set, so it is empty' });

    const dropTable = at(s, 'V3__shipments.sql', 3);
    expect(dropTable.lock).toEqual({ mode: 'exclusive metadata lock', blocks: `all reads and writes of ${database}.tags; it waits for open transactions on ${database}.tags first` });
    expect(dropTable.dataChecks).toEqual([expect.objectContaining({ result: '2 rows are lost', atRisk: true })]);

    // MySQL fills a NOT NULL column without default with the type's implicit default: nothing fails.
    expect(at(s, 'V3__shipments.sql', 4).dataChecks).toEqual([]);
    expect(at(s, 'V3__shipments.sql', 5).lock).toEqual({ mode: 'ALGORITHM=COPY, LOCK=SHARED', blocks: `writes to ${users}; reads go on` });

    expect(report.findings.map((f) => [f.ruleId, f.location.file.replace(/^.*\//, ''), f.location.line])).toEqual([
      ['impact-data-loss', 'V1__users.sql', 1],
      ['impact-statement-fails', 'V1__users.sql', 1],
      ['impact-statement-fails', 'V1__users.sql', 2],
      ['impact-data-loss', 'V2__orders.sql', 1],
      ['impact-statement-fails', 'V2__orders.sql', 3],
      ['impact-data-loss', 'V2__orders.sql', 4],
      ['impact-data-loss', 'V3__shipments.sql', 3],
    ]);
  });

  it('skips a data check that waits too long behind another session’s table lock', async () => {
    const holder = await mysql.createConnection({ uri: testMysqlUrl() });
    await holder.query(`lock tables ${database}.users write`);
    const driver = await openReadOnly();
    try {
      const set = await read();
      set.migrations = set.migrations.slice(0, 1);
      set.migrations[0]!.up = set.migrations[0]!.up.slice(1, 2);
      const report = await analyzeImpact(set, { dialect: 'mysql', driver, connectionLabel: 'test mariadb', checkTimeoutMs: 1000 });
      expect(report.statements[0]!.dataChecks).toEqual([expect.objectContaining({ what: 'duplicates of (email) in users', skipped: 'took longer than 1 s', atRisk: false })]);
      expect(report.findings).toEqual([]);
    } finally {
      await driver.dispose();
      await holder.query('unlock tables');
      await holder.end();
    }
  });

  it('has the server stop a query at its bound (max_statement_time), and the session goes on working', async () => {
    const driver = await openReadOnly();
    try {
      const runner = new BoundedRunner(driver, mysqlImpactFacts, 300);
      // MariaDB's sequence engine: a hundred billion rows to filter.
      const outcome = await runner.run('select count(*) from seq_1_to_100000000000 where seq % 7 = 3');
      expect(outcome).toMatchObject({ ok: false, timedOut: true, message: expect.stringMatching(/max_statement_time/) });
      expect(await runner.run('select count(*) from users')).toEqual({ ok: true, rows: [[10]] });
    } finally {
      await driver.dispose();
    }
  });

  it('follows RENAME TABLE pairs through the set, a swap included', async () => {
    const statements = ['RENAME TABLE tags TO tags_old, audit TO tags', 'DROP TABLE tags', 'DELETE FROM tags_old'];
    const set: MigrationSet = {
      root: 'inline',
      format: 'sql',
      problems: [],
      migrations: [{ id: '1', description: 'swap', format: 'sql', file: 'swap.sql', up: statements.map((sql, i) => ({ sql, location: { file: 'swap.sql', line: i + 1, column: 1 } })) }],
    };
    const driver = await openReadOnly();
    try {
      const report = await analyzeImpact(set, { dialect: 'mysql', driver, connectionLabel: 'test mariadb' });
      expect(report.statements.map((s) => [s.location.line, s.table?.name, s.dataChecks.map((c) => c.result)])).toEqual([
        [1, 'tags', []],
        [2, 'audit', ['4 rows are lost']],
        [3, 'tags', ['2 rows are lost']],
      ]);
    } finally {
      await driver.dispose();
    }
  });
});
