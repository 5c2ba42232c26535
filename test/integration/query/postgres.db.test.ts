import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryEvent } from '../../../src/shared/domain/query';
import { testPgUrl } from '../testEnv';
import { openServer, QueryHarness, types } from './queryHarness';
import { describeQueryService } from './querySuite';

describeQueryService('PostgreSQL', () => openServer(testPgUrl(), 'postgres'), {
  series: (n) => `select g as id, 'row ' || g as label from generate_series(1, ${n}) g`,
  longRunning: 'select pg_sleep(30)',
  createItems: ['drop table if exists qs_items', 'create table qs_items (id int primary key, note text)'],
});

describe('QueryService on PostgreSQL: dialect specifics', () => {
  let h: QueryHarness;
  beforeAll(async () => {
    h = new QueryHarness(await openServer(testPgUrl(), 'postgres'));
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('keeps the rows streamed before a statement fails midway', async () => {
    const { queryId, events } = await h.runToEnd('select 1 / (g - 150000) as x from generate_series(1, 200000) g');
    expect(types(events)).toEqual(['started', 'resultSet', 'resultDone', 'error', 'done']);
    const error = events.find((e): e is Extract<QueryEvent, { type: 'error' }> => e.type === 'error')!.error;
    expect(error.message).toMatch(/division by zero/);
    const [result] = h.service.results(queryId);
    expect(result!.rowCount).toBeGreaterThan(0);
    expect(result!.rowCount).toBeLessThan(150_000);
    const page = await h.service.page({ queryId, resultIndex: 0, offset: 0, limit: 1 });
    expect(page.rows).toEqual([[0]]);
  });

  it('sorts int8 and numeric columns by value, not as text', async () => {
    const { queryId } = await h.runToEnd(
      "select v::int8 as big, v::numeric / 10 as num from unnest(array[9007199254740993, -5, 10, 9007199254740992, 2]) v",
    );
    const big = await h.service.page({ queryId, resultIndex: 0, offset: 0, limit: 10, sort: { column: 0, direction: 'asc' } });
    expect(big.rows.map((r) => String(r[0]))).toEqual(['-5', '2', '10', '9007199254740992', '9007199254740993']);
    const num = await h.service.page({ queryId, resultIndex: 0, offset: 0, limit: 10, sort: { column: 1, direction: 'desc' } });
    // numeric arrives as exact text with trailing zeros (scale of the division).
    expect(num.rows.map((r) => String(r[1]).replace(/\.?0+$/, ''))).toEqual(['900719925474099.3', '900719925474099.2', '1', '0.2', '-0.5']);
  });

  it('maps error positions after multi-byte text and dollar quotes', async () => {
    const script = "select '😀 ü', $$ ; $$;\nselect 'é' || nosuchcolumn";
    const { events } = await h.runToEnd(script, { baseOffset: 7 });
    const error = events.find((e): e is Extract<QueryEvent, { type: 'error' }> => e.type === 'error')!.error;
    expect(error.statementIndex).toBe(1);
    expect(error.position).toEqual({ line: 2, column: 'select \'é\' || '.length + 1, offset: 7 + script.indexOf('nosuchcolumn') });
  });
});
