import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDriver } from '../../../src/main/db/createDriver';
import type { Driver } from '../../../src/main/db/Driver';
import { analyzeImpact } from '../../../src/main/review/impact/analyzeImpact';
import { BoundedRunner } from '../../../src/main/review/impact/BoundedRunner';
import { postgresImpactFacts } from '../../../src/main/review/impact/facts/postgresImpactFacts';
import { readMigrations } from '../../../src/main/review/readers/readMigrations';
import { diffSchemas } from '../../../src/main/review/sandbox/diffSchemas';
import { connectionConfigSchema } from '../../../src/shared/domain/connection';
import { parseConnectionUrl } from '../../../src/shared/domain/connectionUrl';
import type { MigrationSet, StatementImpact } from '../../../src/shared/domain/review';
import { scratchPostgres, type ScratchPostgres } from '../scratchPostgres';
import { testPgUrl } from '../testEnv';

const fixture = new URL('../../fixtures/review/impact/postgres', import.meta.url).pathname;
let scratch: ScratchPostgres;
let database: string;
let owner: pg.Client;
let databaseUrl: string;

/** A session on the test database, read-only (the connection does not allow writes) as the Reviewer opens one unless asked. */
async function openSession(allowWrites = false): Promise<Driver> {
  const { config, secrets } = parseConnectionUrl(testPgUrl());
  return createDriver({ config: connectionConfigSchema.parse({ ...config, name: 'impact', database, allowWrites }), secrets });
}

/** Everything a data check could change, as text: if a query wrote anything, this differs. */
async function dataNow(): Promise<string> {
  const tables = ['users', 'orders', 'order_items', 'audit', 'tags', 'events'];
  const parts: string[] = [];
  for (const t of tables) parts.push(JSON.stringify((await owner.query(`select * from ${t} order by 1`)).rows));
  return parts.join('\n');
}

beforeAll(async () => {
  scratch = await scratchPostgres(testPgUrl(), 'quarry_impact_test');
  ({ database, url: databaseUrl, client: owner } = scratch);
  await owner.query(`
    create table users (id bigint primary key, email text, nickname text);
    insert into users select g, case when g <= 8 then 'u' || (g % 4) else 'solo' || g end,
      case when g <= 3 then null when g = 10 then repeat('x', 50) else 'nick' || g end
      from generate_series(1, 10) g;
    create table orders (id bigint primary key, user_id bigint references users (id), amount bigint, note varchar(100));
    insert into orders select g, g, case when g = 5 then 3000000000 else g * 1000 end, case when g < 5 then 'n' || g end from generate_series(1, 5) g;
    create table order_items (id int primary key, order_id bigint references orders (id));
    insert into order_items values (1, 1), (2, 2);
    create table audit (id int primary key, user_ref bigint);
    insert into audit values (1, 1), (2, 2), (3, 999), (4, null);
    create table tags (id int primary key, name text);
    insert into tags values (1, 'a'), (2, 'b');
    create index orders_amount_idx on orders (amount);
    create table events (id int, happened date) partition by range (happened);
    create table events_2024 partition of events for values from ('2024-01-01') to ('2025-01-01');
    insert into events values (1, '2024-03-01'), (2, '2024-04-01'), (3, '2024-05-01');
    create sequence impact_probe;
    alter table order_items add constraint order_items_order_nn check (order_id is not null);
  `);
});

afterAll(async () => {
  await scratch?.dispose();
});

const read = (): Promise<MigrationSet> => readMigrations(fixture, { dialect: 'postgres', format: 'flyway' });
const at = (impacts: StatementImpact[], file: string, line: number): StatementImpact => {
  const found = impacts.find((s) => s.location.file.endsWith(file) && s.location.line === line);
  if (!found) throw new Error(`no impact at ${file}:${line}; have ${impacts.map((s) => `${s.location.file}:${s.location.line}`).join(', ')}`);
  return found;
};

describe('analyzeImpact on PostgreSQL', () => {
  it('reports locks, work, sizes, blast radius and data checks, on a read-only session that changes nothing', async () => {
    const driver = await openSession();
    const schemaBefore = await driver.introspect();
    const dataBefore = await dataNow();
    const progress: [number, number][] = [];
    let report;
    try {
      expect(driver.readOnly).toBe(true);
      report = await analyzeImpact(await read(), { dialect: 'postgres', driver, connectionLabel: 'test pg', onProgress: (d, t) => progress.push([d, t]) });
      expect(diffSchemas(schemaBefore, await driver.introspect())).toEqual([]);
    } finally {
      await driver.dispose();
    }
    expect(await dataNow()).toBe(dataBefore);
    expect(progress.at(-1)).toEqual([19, 19]);
    expect(report.connection).toBe('test pg');
    expect(report.serverVersion).toMatch(/^15\./);
    const s = report.statements;
    // SET gets no impact; every other statement does.
    expect(s).toHaveLength(18);

    const setNotNull = at(s, 'V1__tighten_users.sql', 1);
    expect(setNotNull.lock).toEqual({ mode: 'ACCESS EXCLUSIVE', blocks: 'all reads and writes of public.users' });
    expect(setNotNull.work).toBe('scan');
    // Never analysed (reltuples -1) and small, so counted exactly.
    expect(setNotNull.table).toMatchObject({ schema: 'public', name: 'users', rows: 10, rowsEstimated: false });
    expect(setNotNull.table!.bytes).toBeGreaterThan(0);
    expect(setNotNull.estimate!.seconds).toBe(setNotNull.table!.bytes / 200e6);
    expect(setNotNull.estimate!.assumption).toMatch(/^reading [\d.]+ kB \(10 rows\) at ~200 MB\/s, an assumed throughput: this server.s disk and load are unknown to Quarry$/);
    expect(setNotNull.blastRadius).toEqual(['public.order_items', 'public.orders']);
    expect(setNotNull.dataChecks).toEqual([
      { what: 'NULLs in users.nickname', query: 'select count(*) from "public"."users" where "nickname" is null', result: '3 rows are NULL', atRisk: true },
    ]);

    const unique = at(s, 'V1__tighten_users.sql', 2);
    expect(unique.lock?.mode).toBe('ACCESS EXCLUSIVE');
    expect(unique.work).toBe('index-build');
    expect(unique.dataChecks).toEqual([expect.objectContaining({ what: 'duplicates of (email) in users', result: '4 values appear more than once (8 rows)', atRisk: true })]);

    const concurrently = at(s, 'V1__tighten_users.sql', 3);
    expect(concurrently.lock).toEqual({ mode: 'SHARE UPDATE EXCLUSIVE', blocks: 'schema changes, VACUUM and other index builds on public.users; reads and writes go on' });
    expect(concurrently.work).toBe('index-build');
    expect(concurrently.dataChecks).toEqual([expect.objectContaining({ what: 'duplicates of (nickname) in users', result: 'no value appears twice', atRisk: false })]);

    const toVarchar = at(s, 'V1__tighten_users.sql', 4);
    expect(toVarchar.work).toBe('rewrite');
    expect(toVarchar.dataChecks).toEqual([expect.objectContaining({ result: 'the longest value has 50 characters; varchar(20) holds 20', atRisk: true })]);

    const toInt = at(s, 'V2__orders.sql', 1);
    expect(toInt.work).toBe('rewrite');
    expect(toInt.table).toMatchObject({ name: 'orders', rows: 5 });
    expect(toInt.blastRadius).toEqual(['public.order_items', 'public.users']);
    expect(toInt.dataChecks).toEqual([
      { what: 'values of orders.amount against integer', query: 'select min("amount"), max("amount") from "public"."orders"', result: 'min is 1,000 and max is 3,000,000,000; integer holds -2,147,483,648 to 2,147,483,647', atRisk: true },
    ]);

    const toText = at(s, 'V2__orders.sql', 2);
    expect(toText.work).toBe('catalog');
    expect(toText.estimate).toEqual({ seconds: 0, assumption: 'a catalog-only change: no row is read or written' });
    expect(toText.dataChecks).toEqual([]);

    const fk = at(s, 'V2__orders.sql', 3);
    expect(fk.lock).toEqual({ mode: 'SHARE ROW EXCLUSIVE', blocks: 'writes (INSERT, UPDATE, DELETE) to public.audit and public.users; reads go on' });
    expect(fk.work).toBe('scan');
    expect(fk.blastRadius).toEqual(['public.order_items', 'public.orders', 'public.users']);
    expect(fk.dataChecks).toEqual([expect.objectContaining({ what: 'rows of audit whose (user_ref) has no match in users', result: '1 row has no match', atRisk: true })]);

    expect(at(s, 'V2__orders.sql', 4).work).toBe('catalog');
    expect(at(s, 'V2__orders.sql', 5).work).toBe('rewrite');

    const create = at(s, 'V3__shipments.sql', 2);
    expect(create.table).toBeUndefined();
    expect(create.lock).toEqual({ mode: 'SHARE ROW EXCLUSIVE', blocks: 'writes (INSERT, UPDATE, DELETE) to public.orders; reads go on' });
    expect(create.work).toBe('none');
    expect(create.blastRadius).toEqual(['public.order_items', 'public.orders', 'public.users']);

    for (const line of [3, 4]) {
      const onNew = at(s, 'V3__shipments.sql', line);
      expect(onNew.table).toBeUndefined();
      expect(onNew.estimate).toEqual({ seconds: 0, assumption: 'the table is new in this set, so it is empty' });
      expect(onNew.dataChecks).toEqual([]);
    }

    expect(at(s, 'V3__shipments.sql', 5).dataChecks).toEqual([expect.objectContaining({ what: 'rows in tags', result: '2 rows are lost', atRisk: true })]);
    expect(at(s, 'V3__shipments.sql', 5).blastRadius).toEqual([]);
    expect(at(s, 'V3__shipments.sql', 6).dataChecks).toEqual([expect.objectContaining({ what: 'values in orders.note', result: '4 rows hold a value that is lost', atRisk: true })]);
    // After the rename, purchases is the server's orders.
    const renamed = at(s, 'V3__shipments.sql', 8);
    expect(renamed.table).toMatchObject({ name: 'orders', rows: 5 });
    expect(renamed.dataChecks).toEqual([expect.objectContaining({ what: 'rows in orders (new NOT NULL column shipped_at without a default)', result: '5 rows', atRisk: true })]);

    // DROP INDEX names no table: the index's table is found on the server.
    const dropIndex = at(s, 'V3__shipments.sql', 9);
    expect(dropIndex.table).toMatchObject({ name: 'orders' });
    expect(dropIndex.lock).toEqual({ mode: 'ACCESS EXCLUSIVE', blocks: 'all reads and writes of public.orders' });
    expect(dropIndex.work).toBe('catalog');

    // TRUNCATE of two tables loses the rows of both; a partitioned table's size is its partitions'.
    const truncate = at(s, 'V3__shipments.sql', 10);
    expect(truncate.lock).toEqual({ mode: 'ACCESS EXCLUSIVE', blocks: 'all reads and writes of public.events, public.audit' });
    expect(truncate.table).toMatchObject({ name: 'events', rows: 3, rowsEstimated: false });
    expect(truncate.table!.bytes).toBeGreaterThan(0);
    expect(truncate.dataChecks.map((c) => [c.what, c.result, c.atRisk])).toEqual([
      ['rows in events', '3 rows are lost', true],
      ['rows in audit', '4 rows are lost', true],
    ]);

    expect(report.findings.map((f) => [f.ruleId, f.severity, f.location.file.replace(/^.*\//, ''), f.location.line])).toEqual([
      ['impact-statement-fails', 'error', 'V1__tighten_users.sql', 1],
      ['impact-statement-fails', 'error', 'V1__tighten_users.sql', 2],
      ['impact-data-loss', 'error', 'V1__tighten_users.sql', 4],
      ['impact-data-loss', 'error', 'V2__orders.sql', 1],
      ['impact-statement-fails', 'error', 'V2__orders.sql', 3],
      ['impact-data-loss', 'error', 'V3__shipments.sql', 5],
      ['impact-data-loss', 'error', 'V3__shipments.sql', 6],
      ['impact-statement-fails', 'error', 'V3__shipments.sql', 8],
      ['impact-data-loss', 'error', 'V3__shipments.sql', 10],
      ['impact-data-loss', 'error', 'V3__shipments.sql', 10],
    ]);
    expect(report.findings[0]).toMatchObject({ migrationId: expect.any(String), message: 'NULLs in users.nickname: 3 rows are NULL.' });
  });

  it('keeps the planner estimate for a table above the count limit, and warns of a long exclusive lock', async () => {
    await owner.query('analyze users');
    const driver = await openSession();
    try {
      const report = await analyzeImpact(await read(), { dialect: 'postgres', driver, connectionLabel: 'test pg', countLimitBytes: 0, throughput: { scan: 1000 } });
      const setNotNull = at(report.statements, 'V1__tighten_users.sql', 1);
      expect(setNotNull.table).toMatchObject({ rows: 10, rowsEstimated: true });
      const warning = report.findings.find((f) => f.ruleId === 'impact-long-lock' && f.location.line === 1 && f.location.file.endsWith('V1__tighten_users.sql'));
      expect(warning).toMatchObject({ severity: 'warning', message: expect.stringMatching(/^Holds ACCESS EXCLUSIVE for about .* it blocks all reads and writes of public\.users\.$/) });
      // The concurrent index build blocks no writes, so however long it takes it is no long-lock warning.
      expect(report.findings.some((f) => f.ruleId === 'impact-long-lock' && f.location.line === 3 && f.location.file.endsWith('V1__tighten_users.sql'))).toBe(false);
    } finally {
      await driver.dispose();
    }
  });

  it('skips a data check that waits too long behind another session’s lock, and says so', async () => {
    const holder = new pg.Client({ connectionString: databaseUrl });
    await holder.connect();
    await holder.query('begin');
    await holder.query('lock table users in access exclusive mode');
    const driver = await openSession();
    try {
      const set = await read();
      set.migrations = set.migrations.slice(0, 1);
      const report = await analyzeImpact(set, { dialect: 'postgres', driver, connectionLabel: 'test pg', checkTimeoutMs: 300 });
      const setNotNull = at(report.statements, 'V1__tighten_users.sql', 1);
      expect(setNotNull.dataChecks).toEqual([expect.objectContaining({ what: 'NULLs in users.nickname', skipped: 'took longer than 0.3 s', atRisk: false })]);
      // The size falls back to the catalog's statistics rather than waiting.
      expect(setNotNull.table).toMatchObject({ name: 'users', rowsEstimated: true });
      expect(report.findings.filter((f) => f.ruleId !== 'impact-long-lock')).toEqual([]);
    } finally {
      await driver.dispose();
      await holder.query('rollback');
      await holder.end();
    }
  });

  it('stops a query at its bound inside a READ ONLY transaction it always ends, even on a session that allows writes', async () => {
    const driver = await openSession(true);
    try {
      const runner = new BoundedRunner(driver, postgresImpactFacts, 200);
      expect(await runner.run('select pg_sleep(30)')).toMatchObject({ ok: false, timedOut: true });
      // The transaction was rolled back and the timeout was LOCAL to it: the session is as it was.
      expect((await driver.query("select current_setting('statement_timeout'), pg_catalog.txid_current_if_assigned() is null")).rows).toEqual([['0', true]]);
      expect(await runner.run('select count(*)::int from users')).toEqual({ ok: true, rows: [[10]] });
      // The session allows writes, but nothing can write through the runner.
      expect(await runner.run("select pg_catalog.nextval('impact_probe')")).toMatchObject({ ok: false, timedOut: false, message: expect.stringMatching(/read-only transaction/) });
    } finally {
      await driver.dispose();
    }
  });

  it('leaves a transaction the session already has open as it found it (the workspace session may be in one)', async () => {
    const driver = await openSession(true);
    try {
      await driver.query('BEGIN');
      const [[xid]] = (await driver.query('select pg_catalog.txid_current()::text')).rows as [[string]];
      await driver.query("SET LOCAL statement_timeout = '12s'");
      const set = await read();
      set.migrations = set.migrations.slice(0, 1);
      const report = await analyzeImpact(set, { dialect: 'postgres', driver, connectionLabel: 'test pg' });
      expect(at(report.statements, 'V1__tighten_users.sql', 1).dataChecks).toEqual([expect.objectContaining({ result: '3 rows are NULL', atRisk: true })]);
      // Same transaction, its own settings intact, and nothing of the checks' left behind.
      expect((await driver.query("select pg_catalog.txid_current()::text, current_setting('statement_timeout'), current_setting('lock_timeout')")).rows).toEqual([[xid, '12s', '0']]);
      await driver.query('ROLLBACK');
    } finally {
      await driver.dispose();
    }
  });

  it('sets NOT NULL without a scan where a validated CHECK (column IS NOT NULL) proves it, on the server or earlier in the set', async () => {
    const statements = [
      'ALTER TABLE orders ADD CONSTRAINT orders_user_nn CHECK (user_id IS NOT NULL) NOT VALID',
      'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_nn',
      'ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL',
      'ALTER TABLE order_items ALTER COLUMN order_id SET NOT NULL',
      'ALTER TABLE audit ALTER COLUMN user_ref SET NOT NULL',
    ];
    const set: MigrationSet = {
      root: 'inline',
      format: 'sql',
      problems: [],
      migrations: [{ id: '1', description: 'not null', format: 'sql', file: 'nn.sql', up: statements.map((sql, i) => ({ sql, location: { file: 'nn.sql', line: i + 1, column: 1 } })) }],
    };
    const driver = await openSession();
    try {
      const report = await analyzeImpact(set, { dialect: 'postgres', driver, connectionLabel: 'test pg' });
      expect(report.statements.map((s) => [s.lock?.mode, s.work])).toEqual([
        ['ACCESS EXCLUSIVE', 'catalog'],
        ['SHARE UPDATE EXCLUSIVE', 'scan'],
        ['ACCESS EXCLUSIVE', 'catalog'],
        ['ACCESS EXCLUSIVE', 'catalog'],
        ['ACCESS EXCLUSIVE', 'scan'],
      ]);
      expect(report.statements[4]!.dataChecks).toEqual([expect.objectContaining({ result: '1 row is NULL', atRisk: true })]);
    } finally {
      await driver.dispose();
    }
  });
});
