import { describe, expect, it } from 'vitest';
import { binaryCell, integerCell, normalizeCell } from './normalizeCell';

describe('normalizeCell', () => {
  it('keeps integers beyond 2^53 exact as text and small ones as numbers', () => {
    expect(integerCell(9007199254740993n)).toBe('9007199254740993');
    expect(integerCell(-9007199254740993n)).toBe('-9007199254740993');
    expect(integerCell(42n)).toBe(42);
    expect(integerCell('9007199254740991')).toBe(9007199254740991);
    expect(normalizeCell(9007199254740993n)).toBe('9007199254740993');
  });

  it('keeps NULL distinct from the empty string', () => {
    expect(normalizeCell(null)).toBeNull();
    expect(normalizeCell(undefined)).toBeNull();
    expect(normalizeCell('')).toBe('');
  });

  it('turns bytes into a BinaryCell with a preview of at most 4 KiB', () => {
    expect(binaryCell(Buffer.from([0, 1, 254, 255]))).toEqual({ $binary: true, length: 4, hexPreview: '0001feff' });
    const big = normalizeCell(Buffer.alloc(10_000, 0xab));
    expect(big).toMatchObject({ $binary: true, length: 10_000 });
    expect((big as { hexPreview: string }).hexPreview).toHaveLength(8192);
  });

  it('writes non-finite floats and objects as text', () => {
    expect(normalizeCell(Number.NaN)).toBe('NaN');
    expect(normalizeCell(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
    expect(normalizeCell({ a: [1] })).toBe('{"a":[1]}');
  });
});
