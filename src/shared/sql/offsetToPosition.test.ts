import { describe, expect, it } from 'vitest';
import { offsetToPosition } from './offsetToPosition';

describe('offsetToPosition', () => {
  it('gives 1-based lines and columns', () => {
    const text = 'select\n  1 +\n  x';
    expect(offsetToPosition(text, 0)).toEqual({ line: 1, column: 1, offset: 0 });
    expect(offsetToPosition(text, 6)).toEqual({ line: 1, column: 7, offset: 6 });
    expect(offsetToPosition(text, 7)).toEqual({ line: 2, column: 1, offset: 7 });
    expect(offsetToPosition(text, text.indexOf('x'))).toEqual({ line: 3, column: 3, offset: text.indexOf('x') });
  });

  it('treats \\r\\n and a lone \\r as one line break', () => {
    expect(offsetToPosition('a\r\nb', 3)).toEqual({ line: 2, column: 1, offset: 3 });
    expect(offsetToPosition('a\r\nb', 1)).toEqual({ line: 1, column: 2, offset: 1 });
    expect(offsetToPosition('a\rb', 2)).toEqual({ line: 2, column: 1, offset: 2 });
  });

  it('counts UTF-16 code units in columns, as the editor does', () => {
    expect(offsetToPosition('😀x', 2).column).toBe(3);
  });

  it('clamps offsets outside the text', () => {
    expect(offsetToPosition('ab', 99)).toEqual({ line: 1, column: 3, offset: 2 });
    expect(offsetToPosition('ab', -4)).toEqual({ line: 1, column: 1, offset: 0 });
  });
});
