import { describe, expect, it } from 'vitest';
import { TableWriter, cellText } from './TableWriter';

describe('TableWriter', () => {
  it('aligns columns from the first rows and bounds their width', () => {
    const t = new TableWriter({ maxColumnWidth: 8, sampleRows: 2 });
    t.columns([{ name: 'id', type: 'int', kind: 'number' }, { name: 'name', type: 'text', kind: 'text' }]);
    expect(t.rows([[1, 'ann']])).toBe('');
    const first = t.rows([[22, null]]);
    expect(first.split('\n')).toEqual(['id | name', '---+-----', ' 1 | ann', '22 | NULL', '']);
    // Widths are fixed now; a long value is cut.
    expect(t.rows([[3, 'a very long name']])).toBe(' 3 | a v…\n');
    expect(t.end()).toBe('');
    expect(t.rowCount).toBe(3);
  });

  it('never lets a sampled value widen a column past the limit', () => {
    const t = new TableWriter({ maxColumnWidth: 5 });
    t.columns([{ name: 'v', type: 'text', kind: 'text' }]);
    t.rows([['abcdefghij']]);
    expect(t.end().split('\n')).toEqual(['v', '-----', 'abcd…', '']);
  });

  it('prints a header for an empty result and shows special values', () => {
    const t = new TableWriter();
    t.columns([{ name: 'x', type: '', kind: 'other' }]);
    expect(t.end()).toBe('x\n-\n');
    expect(cellText({ $binary: true, length: 3, hexPreview: 'ff00' })).toBe('\\xff00…');
    expect(cellText('a\nb\tc')).toBe('a↵b c');
    expect(cellText(false)).toBe('false');
  });
});
