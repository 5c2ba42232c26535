import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CellValue, ColumnMeta } from '../../shared/domain/query';
import { ResultSpool } from './ResultSpool';

const columns: ColumnMeta[] = [
  { name: 'id', type: 'int8', kind: 'number' },
  { name: 'name', type: 'text', kind: 'text' },
  { name: 'n', type: 'numeric', kind: 'number' },
];

describe('ResultSpool', () => {
  let dir: string;
  let spool: ResultSpool;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'quarry-spool-'));
    spool = new ResultSpool(join(dir, 's.sqlite'), { pageTextLimit: 20 });
  });
  afterEach(() => {
    spool.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pages rows in arrival order by rowid range', async () => {
    spool.create(0, columns);
    for (let b = 0; b < 10; b++) {
      spool.append(0, Array.from({ length: 1000 }, (_, i) => [String(b * 1000 + i), `n${b * 1000 + i}`, null] as CellValue[]));
    }
    expect(spool.count(0)).toBe(10_000);
    const page = await spool.page(0, 4321, 3, undefined, true);
    expect(page.rows).toEqual([
      ['4321', 'n4321', null],
      ['4322', 'n4322', null],
      ['4323', 'n4323', null],
    ]);
    expect((await spool.page(0, 9999, 50, undefined, true)).rows).toHaveLength(1);
    expect((await spool.page(0, 10_000, 50, undefined, true)).rows).toHaveLength(0);
  });

  it('sorts numbers stored as text numerically, NULLs last ascending and first descending', async () => {
    spool.create(0, columns);
    const rows: CellValue[][] = [
      ['10', 'b', '2.5'],
      ['9', 'a', null],
      ['-3', 'c', '100'],
      ['9223372036854775807', 'd', '-0.5'],
      [null, 'e', '3'],
      ['9223372036854775806', 'f', '1e2'],
    ];
    spool.append(0, rows);
    for (const complete of [false, true]) {
      const asc = (await spool.page(0, 0, 10, { column: 0, direction: 'asc' }, complete)).rows.map((r) => r[0]);
      expect(asc).toEqual(['-3', '9', '10', '9223372036854775806', '9223372036854775807', null]);
      const desc = (await spool.page(0, 0, 10, { column: 0, direction: 'desc' }, complete)).rows.map((r) => r[0]);
      expect(desc).toEqual([null, '9223372036854775807', '9223372036854775806', '10', '9', '-3']);
      const numeric = (await spool.page(0, 0, 10, { column: 2, direction: 'asc' }, complete)).rows.map((r) => r[2]);
      expect(numeric).toEqual(['-0.5', '2.5', '3', '100', '1e2', null]);
      const text = (await spool.page(0, 2, 2, { column: 1, direction: 'desc' }, complete)).rows.map((r) => r[1]);
      expect(text).toEqual(['d', 'c']);
    }
  });

  it('sees rows appended after a sort while incomplete', async () => {
    spool.create(0, columns);
    spool.append(0, [['2', 'x', null]]);
    expect((await spool.page(0, 0, 10, { column: 0, direction: 'asc' }, false)).rows).toHaveLength(1);
    spool.append(0, [['1', 'y', null]]);
    expect((await spool.page(0, 0, 10, { column: 0, direction: 'asc' }, false)).rows.map((r) => r[0])).toEqual(['1', '2']);
  });

  it('cuts long strings in pages and lists them, but rowAt gives the whole value', async () => {
    spool.create(0, columns);
    const long = 'x'.repeat(50);
    spool.append(0, [['1', long, null], ['2', 'short', null]]);
    const page = await spool.page(0, 0, 10, undefined, true);
    expect(page.rows[0]![1]).toBe('x'.repeat(20));
    expect(page.truncated).toEqual([[0, 1]]);
    expect((await spool.rowAt(0, 0, undefined, true))![1]).toBe(long);
    expect((await spool.rowAt(0, 0, { column: 0, direction: 'desc' }, true))![0]).toBe('2');
    expect(await spool.rowAt(0, 5, undefined, true)).toBeUndefined();
  });

  it('reads all rows in chunks and keeps result sets apart', () => {
    spool.create(0, columns);
    spool.create(1, [{ name: 'x', type: '', kind: 'other' }]);
    spool.append(0, Array.from({ length: 12 }, (_, i) => [String(i), 'a', null] as CellValue[]));
    spool.append(1, [[true]]);
    const chunks = [...spool.chunks(0, 5)];
    expect(chunks.map((c) => c.length)).toEqual([5, 5, 2]);
    expect(chunks.flat().map((r) => r[0])).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
    expect([...spool.chunks(1)]).toEqual([[[true]]]);
  });

  it('rejects an unknown result or sort column clearly', async () => {
    spool.create(0, columns);
    expect(() => spool.count(3)).toThrow(/result 3 does not exist/);
    await expect(spool.page(0, 0, 1, { column: 7, direction: 'asc' }, true)).rejects.toThrow(/sort column 7 is out of range/);
  });

  it('sorts a complete result on a worker thread, leaving the event loop free meanwhile', async () => {
    spool.create(0, columns);
    for (let b = 0; b < 20; b++) {
      spool.append(0, Array.from({ length: 5000 }, (_, i) => [String((b * 5000 + i) * 7919 % 100_003), `n${i}`, null] as CellValue[]));
    }
    let ticked = false;
    const pending = spool.page(0, 0, 3, { column: 0, direction: 'asc' }, true);
    setImmediate(() => (ticked = true));
    const page = await pending;
    expect(ticked).toBe(true);
    expect(page.rows.map((r) => Number(r[0]))).toEqual([0, 1, 2]);
    // The sort lives in its own file beside the spool and is reused.
    expect(readdirSync(dir).filter((f) => f.includes('.sort'))).toHaveLength(1);
    expect((await spool.page(0, 99_999, 5, { column: 0, direction: 'asc' }, true)).rows).toHaveLength(1);
    expect(readdirSync(dir).filter((f) => f.includes('.sort'))).toHaveLength(1);
  });

  it('keeps at most 8 sorts and deletes every file on dispose', async () => {
    const many: ColumnMeta[] = Array.from({ length: 6 }, (_, i) => ({ name: `c${i}`, type: '', kind: 'number' }));
    spool.create(0, many);
    const rows = Array.from({ length: 50 }, (_, i) => [i, 100 - i, i % 7, i % 5, i % 3, i % 2]);
    spool.append(0, rows);
    for (let c = 0; c < 6; c++) {
      const values = rows.map((r) => r[c]!);
      for (const direction of ['asc', 'desc'] as const) {
        const first = (await spool.page(0, 0, 1, { column: c, direction }, true)).rows[0]![c];
        expect(first).toBe(direction === 'asc' ? Math.min(...values) : Math.max(...values));
      }
    }
    await new Promise((r) => setImmediate(r));
    expect(readdirSync(dir).filter((f) => f.includes('.sort'))).toHaveLength(8);
    spool.dispose();
    await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('deletes its file on dispose', async () => {
    const path = spool.path;
    spool.create(0, columns);
    expect(existsSync(path)).toBe(true);
    spool.dispose();
    spool.dispose();
    expect(existsSync(path)).toBe(false);
    await expect(spool.page(0, 0, 1, undefined, true)).rejects.toThrow(/closed/);
  });
});
