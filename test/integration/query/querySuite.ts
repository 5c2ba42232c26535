import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryEvent, ResultSetSummary } from '../../../src/shared/domain/query';
import type { Driver } from '../../../src/main/db/Driver';
import { QueryHarness, types } from './queryHarness';

/** The SQL a dialect needs for the shared QueryService suite. */
export interface DialectSql {
  /** Rows (id, label) for id = 1…n in order, id an integer column. */
  series(n: number): string;
  /** A statement that keeps running (or streaming) until cancelled. */
  longRunning: string;
  /** Creates table `qs_items(id int primary key, note text)`; must drop it first if it exists. */
  createItems: string[];
}

/** One suite, run for each dialect against a real server or file. */
export function describeQueryService(name: string, open: () => Promise<Driver>, sql: DialectSql): void {
  describe(`QueryService on ${name}`, () => {
    let h: QueryHarness;
    beforeAll(async () => {
      h = new QueryHarness(await open());
      for (const s of sql.createItems) {
        const { events } = await h.runToEnd(s, { confirmDestructive: true });
        expect(events.find((e) => e.type === 'error')).toBeUndefined();
      }
    });
    afterAll(async () => {
      await h?.dispose();
    });

    it('runs several statements, giving DML an affected count and SELECTs spooled rows', async () => {
      const script = `insert into qs_items (id, note) values (1, 'one'), (2, NULL), (3, '');
select id, note from qs_items order by id;
update qs_items set note = 'three' where id = 3;
select count(*) as n from qs_items`;
      const { queryId, events } = await h.runToEnd(script);
      expect(types(events)).toEqual([
        'started',
        'resultSet', 'resultDone',
        'resultSet', 'resultDone',
        'resultSet', 'resultDone',
        'resultSet', 'resultDone',
        'done',
      ]);
      expect(events[0]).toEqual({ type: 'started', statements: 4 });
      const results = h.service.results(queryId);
      expect(results.map((r) => [r.affectedRows, r.columns.map((c) => c.name), r.rowCount, r.done])).toEqual([
        [3, [], 0, true],
        [undefined, ['id', 'note'], 3, true],
        [1, [], 0, true],
        [undefined, ['n'], 1, true],
      ]);
      expect(results[1]!.statement).toBe('select id, note from qs_items order by id');
      const page = await h.service.page({ queryId, resultIndex: 1, offset: 0, limit: 10 });
      expect(page.rows.map((r) => [Number(r[0]), r[1]])).toEqual([
        [1, 'one'],
        [2, null],
        [3, ''],
      ]);
      expect(page).toMatchObject({ total: 3, done: true, offset: 0 });
      const last = h.history.at(-1)!;
      expect(last).toMatchObject({ connectionId: 'c1', sql: script });
      expect(last.error).toBeUndefined();
      await h.service.close(queryId);
    });

    it('streams 200,000 rows to the spool, serving pages while the query runs', async () => {
      const seen: { total: number; done: boolean; first: unknown; offset: unknown }[] = [];
      let queryId = '';
      let pending: Promise<void> = Promise.resolve();
      h.onEvent((id, e) => {
        if (id !== queryId || e.type !== 'progress' || seen.length >= 3) return;
        pending = pending.then(async () => {
          const p = await h.service.page({ queryId, resultIndex: 0, offset: 0, limit: 100 });
          const mid = await h.service.page({ queryId, resultIndex: 0, offset: Math.max(0, p.total - 1), limit: 1 });
          seen.push({ total: p.total, done: p.done, first: p.rows[0]?.[0], offset: mid.rows[0]?.[0] });
        });
      });
      const run = await h.service.run({ connectionId: 'c1', sql: sql.series(200_000) });
      queryId = run.queryId;
      const events = await h.done(queryId);
      await pending;
      expect(events.find((e) => e.type === 'error')).toBeUndefined();
      const progress = events.filter((e): e is Extract<QueryEvent, { type: 'progress' }> => e.type === 'progress');
      expect(progress.length).toBeGreaterThan(0);
      // Pages were served before the end: what was spooled then, row n holding id n + 1.
      expect(seen.length).toBeGreaterThan(0);
      const early = seen.filter((s) => !s.done);
      expect(early.length).toBeGreaterThan(0);
      for (const s of early) {
        expect(s.total).toBeLessThan(200_000);
        expect(Number(s.first)).toBe(1);
        expect(Number(s.offset)).toBe(s.total);
      }
      const [result] = h.service.results(queryId) as [ResultSetSummary];
      expect(result).toMatchObject({ rowCount: 200_000, done: true });
      const deep = await h.service.page({ queryId, resultIndex: 0, offset: 150_000, limit: 3 });
      expect(deep.rows.map((r) => Number(r[0]))).toEqual([150_001, 150_002, 150_003]);
      expect(deep).toMatchObject({ total: 200_000, done: true });

      const desc = await h.service.page({ queryId, resultIndex: 0, offset: 0, limit: 2, sort: { column: 0, direction: 'desc' } });
      expect(desc.rows.map((r) => Number(r[0]))).toEqual([200_000, 199_999]);
      // Text sort: 'row 99999' is the largest label.
      const byLabel = await h.service.page({ queryId, resultIndex: 0, offset: 0, limit: 1, sort: { column: 1, direction: 'desc' } });
      expect(byLabel.rows[0]![1]).toBe('row 99999');
      const cell = await h.service.cell({ queryId, resultIndex: 0, row: 1, column: 0, sort: { column: 0, direction: 'desc' } });
      expect(Number(cell.value)).toBe(199_999);
      expect(cell.text).toBe('199999');
      await h.service.close(queryId);
    });

    it('cancels a long statement and says so in done and history', async () => {
      let queryId = '';
      let cancelled: Promise<void> | undefined;
      const started = Date.now();
      h.onEvent((id, e) => {
        if (id === queryId && !cancelled && (e.type === 'progress' || e.type === 'started')) {
          cancelled = new Promise((r) => setTimeout(r, 300)).then(() => h.service.cancel(queryId));
        }
      });
      queryId = (await h.service.run({ connectionId: 'c1', sql: sql.longRunning })).queryId;
      cancelled ??= new Promise((r) => setTimeout(r, 300)).then(() => h.service.cancel(queryId));
      const events = await h.done(queryId);
      await cancelled;
      expect(events.at(-1)).toMatchObject({ type: 'done', cancelled: true });
      expect(events.find((e) => e.type === 'error')).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(h.history.at(-1)).toMatchObject({ sql: sql.longRunning, error: 'Cancelled' });
      // The session is usable afterwards.
      const after = await h.runToEnd('select 42 as answer');
      const page = await h.service.page({ queryId: after.queryId, resultIndex: 0, offset: 0, limit: 1 });
      expect(Number(page.rows[0]![0])).toBe(42);
    });

    it('maps a syntax error back to the editor text and stops at the failing statement', async () => {
      const script = 'select 1;\n\n  select *\n  FORM qs_items;\nselect 3';
      const { queryId, events } = await h.runToEnd(script, { baseOffset: 1000 });
      const error = events.find((e): e is Extract<QueryEvent, { type: 'error' }> => e.type === 'error')!.error;
      expect(error.code).toBe('SYNTAX_ERROR');
      expect(error.statementIndex).toBe(1);
      const at = script.indexOf('FORM') ;
      // SQLite names the token; PostgreSQL reports the offset of the token it stopped at.
      expect([at, script.indexOf('qs_items')]).toContain(error.position!.offset - 1000);
      const expectedLine = 4;
      expect(error.position!.line).toBe(expectedLine);
      expect(error.position!.column).toBe(error.position!.offset - 1000 - script.lastIndexOf('\n', error.position!.offset - 1000 - 1));
      // The failed statement produced no result; the one before it did.
      expect(h.service.results(queryId)).toHaveLength(1);
      expect(types(events).at(-1)).toBe('done');
      expect(h.history.at(-1)!.error).toBe(error.message);
    });

    it('refuses destructive statements until confirmed, running nothing', async () => {
      const script = 'insert into qs_items (id, note) values (10, null);\ndelete from qs_items';
      await expect(h.service.run({ connectionId: 'c1', sql: script })).rejects.toMatchObject({
        code: 'CONFIRM_REQUIRED',
        detail: { statements: [expect.objectContaining({ risk: 'destructive', reason: 'DELETE without WHERE' })] },
      });
      const count = await h.runToEnd('select count(*) from qs_items where id = 10');
      const page = await h.service.page({ queryId: count.queryId, resultIndex: 0, offset: 0, limit: 1 });
      expect(Number(page.rows[0]![0])).toBe(0);
      const confirmed = await h.runToEnd(script, { confirmDestructive: true });
      expect(h.service.results(confirmed.queryId).map((r) => r.affectedRows)).toEqual([1, 4]);
    });

    it('refuses a second run on a busy connection', async () => {
      const { queryId } = await h.service.run({ connectionId: 'c1', sql: sql.longRunning });
      await expect(h.service.run({ connectionId: 'c1', sql: 'select 1' })).rejects.toMatchObject({
        code: 'QUERY_FAILED',
        detail: { runningQueryId: queryId },
      });
      await h.service.cancel(queryId);
      await h.done(queryId);
    });

    it('exports a result as CSV and JSON files', async () => {
      await h.runToEnd("insert into qs_items (id, note) values (20, 'a,\"b\"'), (21, ''), (22, NULL), (23, 'line\nbreak')");
      const { queryId } = await h.runToEnd('select id, note from qs_items where id >= 20 order by id');
      const csvPath = join(h.spoolDir, 'out.csv');
      const csv = await h.service.exportToFile({ queryId, resultIndex: 0, format: 'csv', path: csvPath });
      const text = readFileSync(csvPath, 'utf8');
      expect(text).toBe('id,note\r\n20,"a,""b"""\r\n21,""\r\n22,\r\n23,"line\nbreak"\r\n');
      expect(csv).toEqual({ path: csvPath, rows: 4, bytes: Buffer.byteLength(text) });
      const jsonPath = join(h.spoolDir, 'out.json');
      const json = await h.service.exportToFile({ queryId, resultIndex: 0, format: 'json', path: jsonPath });
      const parsed = JSON.parse(readFileSync(jsonPath, 'utf8')) as { id: unknown; note: unknown }[];
      expect(parsed.map((r) => [Number(r.id), r.note])).toEqual([
        [20, 'a,"b"'],
        [21, ''],
        [22, null],
        [23, 'line\nbreak'],
      ]);
      expect(json.rows).toBe(4);
      await expect(
        h.service.exportToFile({ queryId, resultIndex: 0, format: 'csv', path: join(h.spoolDir, 'missing-dir', 'x.csv') }),
      ).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('missing-dir') });
    });

    it('cuts long text in pages but gives it whole through cell()', async () => {
      const long = 'x'.repeat(30_000);
      await h.runToEnd(`insert into qs_items (id, note) values (30, '${long}')`);
      const { queryId } = await h.runToEnd('select note from qs_items where id = 30');
      const page = await h.service.page({ queryId, resultIndex: 0, offset: 0, limit: 1 });
      expect((page.rows[0]![0] as string).length).toBe(10_000);
      expect(page.truncated).toEqual([[0, 0]]);
      const cell = await h.service.cell({ queryId, resultIndex: 0, row: 0, column: 0 });
      expect(cell.value).toBe(long);
      await expect(h.service.cell({ queryId, resultIndex: 0, row: 5, column: 0 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('deletes the spool on close and gives NOT_FOUND afterwards', async () => {
      const { queryId } = await h.runToEnd('select 1 as one');
      expect(h.spoolFiles().some((f) => f.includes(queryId))).toBe(true);
      await h.service.close(queryId);
      expect(h.spoolFiles().some((f) => f.includes(queryId))).toBe(false);
      expect(() => h.service.results(queryId)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
      expect(existsSync(h.spoolDir)).toBe(true);
    });

    it('rejects empty scripts clearly', async () => {
      await expect(h.service.run({ connectionId: 'c1', sql: '-- nothing here\n' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    });
  });
}
