import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CellValue, ColumnMeta } from '../../shared/domain/query';
import { createRowWriter } from './createRowWriter';
import { csvField, writeCsv } from './writeCsv';

const cols = (...names: string[]): ColumnMeta[] => names.map((name) => ({ name, type: 'text', kind: 'text' }));

async function collect(run: (out: PassThrough) => Promise<unknown>): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await run(out);
  out.end();
  await new Promise((r) => out.on('end', r));
  return Buffer.concat(chunks).toString('utf8');
}

describe('csvField', () => {
  it('keeps NULL and empty string distinct', () => {
    expect(csvField(null)).toBe('');
    expect(csvField('')).toBe('""');
  });

  it('quotes fields with commas, quotes, CR or LF and doubles quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line1\nline2')).toBe('"line1\nline2"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField('plain text')).toBe('plain text');
  });

  it('writes numbers, booleans and binary', () => {
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField(false)).toBe('false');
    expect(csvField({ $binary: true, length: 2, hexPreview: 'beef' })).toBe('\\xbeef');
  });
});

describe('writeCsv', () => {
  it('writes a header and CRLF-terminated rows, counting rows and bytes', async () => {
    let counts = { rows: 0, bytes: 0 };
    const rows: CellValue[][] = [
      [1, 'ä,b', null],
      [2, '', true],
    ];
    const text = await collect(async (out) => {
      counts = await writeCsv(out, cols('id', 'name', 'flag'), [rows]);
    });
    expect(text).toBe('id,name,flag\r\n1,"ä,b",\r\n2,"",true\r\n');
    expect(counts).toEqual({ rows: 2, bytes: Buffer.byteLength(text) });
  });

  it('writes only the header for an empty result', async () => {
    const text = await collect((out) => writeCsv(out, cols('a', 'b,c'), []));
    expect(text).toBe('a,"b,c"\r\n');
  });

  it('waits for drain instead of buffering everything', async () => {
    const slow = new Writable({
      highWaterMark: 1024,
      write(_chunk, _enc, cb) {
        setImmediate(cb);
      },
    });
    const writer = createRowWriter('csv', slow, cols('x'));
    const big = Array.from({ length: 100 }, (_, i) => [`row ${i} ${'x'.repeat(100)}`]);
    for (let i = 0; i < 50; i++) {
      await writer.writeRows(big);
      // The buffered bytes never exceed one batch plus the high-water mark.
      expect(slow.writableLength).toBeLessThanOrEqual(20_000);
    }
    const { rows } = await writer.end();
    expect(rows).toBe(5000);
  });

  it('rejects when the stream fails', async () => {
    const broken = new Writable({
      highWaterMark: 1,
      write(_c, _e, cb) {
        cb(new Error('disk full'));
      },
    });
    broken.on('error', () => undefined);
    const writer = createRowWriter('csv', broken, cols('x'));
    await expect(writer.writeRows([['a'.repeat(100)]])).rejects.toThrow(/disk full/);
  });
});
