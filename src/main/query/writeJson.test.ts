import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CellValue, ColumnMeta } from '../../shared/domain/query';
import { createRowWriter } from './createRowWriter';
import { uniqueKeys, writeJson } from './writeJson';

async function collect(run: (out: PassThrough) => Promise<unknown>): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await run(out);
  out.end();
  await new Promise((r) => out.on('end', r));
  return Buffer.concat(chunks).toString('utf8');
}

const columns: ColumnMeta[] = [
  { name: 'id', type: 'int8', kind: 'number' },
  { name: 'doc', type: 'jsonb', kind: 'json' },
  { name: 'name', type: 'text', kind: 'text' },
  { name: 'blob', type: 'bytea', kind: 'binary' },
  { name: 'f', type: 'float8', kind: 'number' },
];

describe('writeJson', () => {
  it('writes an array of objects keyed by column name, keeping exact numbers as text', async () => {
    const rows: CellValue[][] = [
      ['9007199254740993', '{"a": [1, 2]}', 'quote " and \n newline', { $binary: true, length: 2, hexPreview: '00ff' }, 1.5],
      [null, 'not json {', null, null, Number.POSITIVE_INFINITY],
    ];
    let counts = { rows: 0, bytes: 0 };
    const text = await collect(async (out) => {
      counts = await writeJson(out, columns, [rows.slice(0, 1), rows.slice(1)]);
    });
    expect(JSON.parse(text)).toEqual([
      { id: '9007199254740993', doc: { a: [1, 2] }, name: 'quote " and \n newline', blob: '\\x00ff', f: 1.5 },
      { id: null, doc: 'not json {', name: null, blob: null, f: 'Infinity' },
    ]);
    expect(counts).toEqual({ rows: 2, bytes: Buffer.byteLength(text) });
  });

  it('writes [] for an empty result', async () => {
    const text = await collect(async (out) => {
      const w = createRowWriter('json', out, columns);
      await w.writeRows([]);
      await w.end();
    });
    expect(JSON.parse(text)).toEqual([]);
  });

  it('keeps repeated column names apart', () => {
    const c = (name: string): ColumnMeta => ({ name, type: '', kind: 'other' });
    expect(uniqueKeys([c('a'), c('a'), c('b'), c('a')])).toEqual(['a', 'a (2)', 'b', 'a (3)']);
  });
});
