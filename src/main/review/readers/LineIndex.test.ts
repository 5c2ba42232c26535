import { describe, expect, it } from 'vitest';
import { offsetToPosition } from '../../../shared/sql/offsetToPosition';
import { LineIndex } from './LineIndex';

describe('LineIndex', () => {
  it('agrees with offsetToPosition at every offset, for \\n, \\r\\n and lone \\r', () => {
    const text = 'SELECT 1;\r\nSELECT 2;\rSELECT 3;\n\n  SELECT 4;';
    const index = new LineIndex(text);
    for (let i = -1; i <= text.length + 1; i++) {
      const { line, column } = offsetToPosition(text, i);
      expect(index.position(i), `offset ${i}`).toEqual({ line, column });
    }
  });

  it('lists lines without their line breaks', () => {
    expect(new LineIndex('a\r\nbb\rc\n').lines()).toEqual([
      { start: 0, end: 1, text: 'a' },
      { start: 3, end: 5, text: 'bb' },
      { start: 6, end: 7, text: 'c' },
      { start: 8, end: 8, text: '' },
    ]);
  });
});
