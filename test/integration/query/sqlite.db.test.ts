import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { QueryEvent } from '../../../src/shared/domain/query';
import { createDriver } from '../../../src/main/db/createDriver';
import { QueryService } from '../../../src/main/query/QueryService';
import { openSqlite, QueryHarness } from './queryHarness';
import { describeQueryService } from './querySuite';

const dir = mkdtempSync(join(tmpdir(), 'quarry-query-sqlite-'));
const file = join(dir, 'test.sqlite');
new Database(file).close();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeQueryService('SQLite', () => openSqlite(file), {
  series: (n) => `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${n}) SELECT x AS id, 'row ' || x AS label FROM c`,
  longRunning: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c',
  createItems: ['drop table if exists qs_items', 'create table qs_items (id integer primary key, note text)'],
});

describe('QueryService housekeeping (SQLite file)', () => {
  it('keeps running when an event listener throws', async () => {
    const driver = await openSqlite(file);
    const spoolDir = mkdtempSync(join(tmpdir(), 'quarry-query-spool-'));
    const seen: string[] = [];
    let finished!: () => void;
    const done = new Promise<void>((r) => (finished = r));
    const history: unknown[] = [];
    const service = new QueryService({
      getDriver: async () => driver,
      recordHistory: (e) => history.push(e),
      emit: (_id, e) => {
        seen.push(e.type);
        if (e.type === 'done') finished();
        throw new Error('listener bug');
      },
      spoolDir,
    });
    const { queryId } = await service.run({ connectionId: 'c', sql: 'select 1 as a; select 2 as b' });
    await done;
    expect(seen.filter((t) => t !== 'progress')).toEqual(['started', 'resultSet', 'resultDone', 'resultSet', 'resultDone', 'done']);
    expect(service.results(queryId).map((r) => [r.rowCount, r.done])).toEqual([
      [1, true],
      [1, true],
    ]);
    expect(history).toHaveLength(1);
    await service.dispose();
    expect(readdirSync(spoolDir)).toEqual([]);
    await driver.dispose();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it('answers NOT_FOUND to a sorted page whose query is closed while the sort is built', async () => {
    const h = new QueryHarness(await openSqlite(file));
    const { queryId } = await h.runToEnd(
      'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000) SELECT x, x % 97 AS m FROM c',
    );
    const pending = h.service.page({ queryId, resultIndex: 0, offset: 0, limit: 10, sort: { column: 1, direction: 'desc' } });
    await h.service.close(queryId);
    await expect(pending).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // The stopped worker's file goes once the worker has let go of it.
    for (let i = 0; i < 100 && h.spoolFiles().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(h.spoolFiles()).toEqual([]);
    await h.dispose();
  });

  it('sorts small results while running and refuses big ones until done', async () => {
    const h = new QueryHarness(await openSqlite(file));
    let queryId = '';
    let checked: Promise<void> | undefined;
    const outcomes: string[] = [];
    h.onEvent((id, e) => {
      if (id !== queryId || e.type !== 'progress' || checked) return;
      if (e.rowCount > 60_000) {
        checked = (async () => {
          const sorted = h.service.page({ queryId, resultIndex: 0, offset: 0, limit: 5, sort: { column: 0, direction: 'desc' } });
          await expect(sorted).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('once the query has finished') });
          outcomes.push('refused');
          await h.service.cancel(queryId);
        })();
      }
    });
    queryId = (await h.service.run({ connectionId: 'c', sql: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c' })).queryId;
    await h.done(queryId);
    await checked;
    expect(outcomes).toEqual(['refused']);
    const small = await h.runToEnd('select 3 as v union all select 1 union all select 2');
    const page = await h.service.page({ queryId: small.queryId, resultIndex: 0, offset: 0, limit: 5, sort: { column: 0, direction: 'asc' } });
    expect(page.rows).toEqual([[1], [2], [3]]);
    await h.dispose();
  });

  it("removes spools of dead processes at start and keeps live processes' spools", async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), 'quarry-query-spool-'));
    // PID 2^22 + 1 is above Linux's pid_max, so no process has it.
    const dead = `spool-${2 ** 22 + 1}-abc.sqlite`;
    const live = `spool-${process.ppid}-def.sqlite`;
    const other = 'notes.txt';
    for (const name of [dead, live, other]) writeFileSync(join(spoolDir, name), 'x');
    const service = new QueryService({ getDriver: () => openSqlite(file), recordHistory: () => undefined, emit: () => undefined, spoolDir });
    expect(readdirSync(spoolDir).sort()).toEqual([other, live].sort());
    await service.dispose();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it('reports a read-only session refusing a write as the error of that statement', async () => {
    const driver = await createDriver({
      config: { name: 'ro', dialect: 'sqlite', database: file, allowWrites: false, statementTimeoutMs: 0, connectTimeoutMs: 10_000 },
      secrets: {},
    });
    const h = new QueryHarness(driver);
    const { events } = await h.runToEnd("select 1;\ninsert into qs_items (id, note) values (99, 'no')");
    const error = events.find((e): e is Extract<QueryEvent, { type: 'error' }> => e.type === 'error')!.error;
    expect(error).toMatchObject({ code: 'READ_ONLY', statementIndex: 1, position: { line: 2, column: 1 } });
    await h.dispose();
  });
});
