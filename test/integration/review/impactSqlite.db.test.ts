import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDriver } from '../../../src/main/db/createDriver';
import { analyzeImpact } from '../../../src/main/review/impact/analyzeImpact';
import { BoundedRunner } from '../../../src/main/review/impact/BoundedRunner';
import { sqliteImpactFacts } from '../../../src/main/review/impact/facts/sqliteImpactFacts';
import { readMigrations } from '../../../src/main/review/readers/readMigrations';
import type { StatementImpact } from '../../../src/shared/domain/review';

const fixture = new URL('../../fixtures/review/impact/sqlite', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'quarry-impact-'));
const file = join(dir, 'shop.db');

beforeAll(() => {
  const db = new Database(file);
  db.exec(`
    create table users (id integer primary key, email text, nickname text);
    insert into users values (1, 'u1', null), (2, 'u2', null), (3, 'u3', null), (4, 'u0', 'nick4'), (5, 'u1', 'nick5'),
      (6, 'u2', 'nick6'), (7, 'u3', 'nick7'), (8, 'u0', 'nick8'), (9, 'solo9', 'nick9'), (10, 'solo10', 'nick10');
    create table orders (id integer primary key, user_id integer references users (id), amount integer);
    insert into orders values (1, 1, 10), (2, 2, 20), (3, 3, 30), (4, 4, 40), (5, 5, 50);
    create table tags (id integer primary key, name text);
    insert into tags values (1, 'a'), (2, 'b');
  `);
  db.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const at = (impacts: StatementImpact[], file: string, line: number): StatementImpact => {
  const found = impacts.find((s) => s.location.file.endsWith(file) && s.location.line === line);
  if (!found) throw new Error(`no impact at ${file}:${line}; have ${impacts.map((s) => `${s.location.file}:${s.location.line}`).join(', ')}`);
  return found;
};

const openReadOnly = () => createDriver({ config: { name: 'impact', dialect: 'sqlite', database: file, allowWrites: false, statementTimeoutMs: 0, connectTimeoutMs: 10_000 }, secrets: {} });

describe('analyzeImpact on SQLite', () => {
  it('reports the database write lock, work, sizes from dbstat, blast radius and data checks, on a read-only file it leaves untouched', async () => {
    const before = readFileSync(file);
    const driver = await openReadOnly();
    let report;
    try {
      expect(driver.readOnly).toBe(true);
      report = await analyzeImpact(await readMigrations(fixture, { dialect: 'sqlite', format: 'flyway' }), { dialect: 'sqlite', driver, connectionLabel: 'shop.db' });
    } finally {
      await driver.dispose();
    }
    // Not a byte of the file changed.
    expect(readFileSync(file).equals(before)).toBe(true);
    const s = report.statements;
    expect(s).toHaveLength(8);
    const lock = { mode: 'database write lock', blocks: 'all other writers of the database (not only main.users) until its transaction ends, and readers while it commits (delete journal)' };

    const addColumn = at(s, 'V1__users.sql', 1);
    expect(addColumn.lock).toEqual(lock);
    expect(addColumn.work).toBe('catalog');
    expect(addColumn.table).toMatchObject({ schema: 'main', name: 'users', rows: 10, rowsEstimated: false });
    // dbstat: the table's and its index's pages.
    expect(addColumn.table!.bytes % 4096).toBe(0);
    expect(addColumn.table!.bytes).toBeGreaterThan(0);
    expect(addColumn.blastRadius).toEqual(['main.orders']);

    const unique = at(s, 'V1__users.sql', 2);
    expect(unique.work).toBe('index-build');
    expect(unique.estimate!.seconds).toBe(unique.table!.bytes / 30e6);
    expect(unique.dataChecks).toEqual([
      {
        what: 'duplicates of (email) in users',
        query: 'select count(*), coalesce(sum(d.n), 0) from (select count(*) as n from "main"."users" where "email" is not null group by "email" having count(*) > 1) d',
        result: '4 values appear more than once (8 rows)',
        atRisk: true,
      },
    ]);

    const dropColumn = at(s, 'V1__users.sql', 3);
    expect(dropColumn.work).toBe('rewrite');
    expect(dropColumn.dataChecks).toEqual([expect.objectContaining({ result: '7 rows hold a value that is lost', atRisk: true })]);

    expect(at(s, 'V1__users.sql', 4).dataChecks).toEqual([expect.objectContaining({ what: 'rows in users (new NOT NULL column score without a default)', result: '10 rows', atRisk: true })]);

    const create = at(s, 'V2__orders.sql', 1);
    expect(create.work).toBe('none');
    expect(create.blastRadius).toEqual(['main.orders', 'main.users']);

    const dropTable = at(s, 'V2__orders.sql', 2);
    expect(dropTable.work).toBe('scan');
    expect(dropTable.blastRadius).toEqual([]);
    expect(dropTable.dataChecks).toEqual([expect.objectContaining({ what: 'rows in tags', query: 'select count(*) from "main"."tags"', result: '2 rows are lost', atRisk: true })]);

    // DELETE FROM the renamed table empties the server's orders.
    const deleteAll = at(s, 'V2__orders.sql', 4);
    expect(deleteAll.table).toMatchObject({ name: 'orders', rows: 5 });
    expect(deleteAll.dataChecks).toEqual([expect.objectContaining({ result: '5 rows are lost', atRisk: true })]);

    expect(report.findings.map((f) => [f.ruleId, f.location.file.replace(/^.*\//, ''), f.location.line])).toEqual([
      ['impact-statement-fails', 'V1__users.sql', 2],
      ['impact-data-loss', 'V1__users.sql', 3],
      ['impact-statement-fails', 'V1__users.sql', 4],
      ['impact-data-loss', 'V2__orders.sql', 2],
      ['impact-data-loss', 'V2__orders.sql', 4],
    ]);
  });

  it('refuses options it cannot use, saying which and why', async () => {
    const driver = await openReadOnly();
    try {
      const set = await readMigrations(fixture, { dialect: 'sqlite', format: 'flyway' });
      await expect(analyzeImpact(set, { dialect: 'sqlite', driver, connectionLabel: 'shop.db', checkTimeoutMs: 0 })).rejects.toMatchObject({
        code: 'BAD_INPUT',
        message: 'Impact analysis option checkTimeoutMs must be a number above 0, got 0.',
      });
      await expect(analyzeImpact(set, { dialect: 'sqlite', driver, connectionLabel: 'shop.db', throughput: { rewrite: -1 } })).rejects.toMatchObject({
        code: 'BAD_INPUT',
        message: 'Impact analysis option throughput.rewrite must be a number above 0, got -1.',
      });
      // A set with nothing in it is an empty report, not an error.
      expect(await analyzeImpact({ ...set, migrations: [] }, { dialect: 'sqlite', driver, connectionLabel: 'shop.db' })).toMatchObject({ connection: 'shop.db', statements: [], findings: [] });
    } finally {
      await driver.dispose();
    }
  });

  it('stops a check that runs past its bound, and the session goes on working', async () => {
    const driver = await openReadOnly();
    try {
      const runner = new BoundedRunner(driver, sqliteImpactFacts, 200);
      // One endless step: only the driver's interrupt can end it.
      const outcome = await runner.run('with recursive c(n) as (select 1 union all select n + 1 from c) select count(*) from c');
      expect(outcome).toMatchObject({ ok: false, timedOut: true });
      expect(runner.timeoutText).toBe('took longer than 0.2 s');
      expect(await runner.run('select count(*) from users')).toEqual({ ok: true, rows: [[10]] });
    } finally {
      await driver.dispose();
    }
  });

  it('ends with CONNECTION_LOST when the session goes away mid-analysis, not with a half report', async () => {
    const driver = await openReadOnly();
    const set = await readMigrations(fixture, { dialect: 'sqlite', format: 'flyway' });
    await expect(
      analyzeImpact(set, { dialect: 'sqlite', driver, connectionLabel: 'shop.db', onProgress: (done) => void (done === 1 && driver.dispose()) }),
    ).rejects.toMatchObject({ code: 'CONNECTION_LOST' });
  });
});
