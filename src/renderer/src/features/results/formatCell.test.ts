import { describe, expect, it } from 'vitest';
import { cellText, prettyJson, toTsv, wantsViewer } from './formatCell';

describe('formatCell', () => {
  it('tells NULL from the empty string and shows binary by size', () => {
    expect(cellText(null)).toBe('NULL');
    expect(cellText('')).toBe('');
    expect(cellText({ $binary: true, length: 123, hexPreview: 'ff' })).toBe('<binary 123 bytes>');
  });
  it('cuts long values to one line and sends them, and JSON, to the viewer', () => {
    const long = 'x'.repeat(500);
    expect(cellText(long).length).toBe(201);
    expect(wantsViewer(long, { name: 'a', type: 'text', kind: 'text' })).toBe(true);
    expect(wantsViewer('{"a":1}', { name: 'a', type: 'jsonb', kind: 'json' })).toBe(true);
    expect(wantsViewer('short', { name: 'a', type: 'text', kind: 'text' })).toBe(false);
    expect(cellText('a\nb')).toBe('a↵b');
  });
  it('pretty-prints JSON and leaves other text alone', () => {
    expect(prettyJson('{"a":[1,2]}')).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    expect(prettyJson('not json')).toBe('not json');
  });
  it('copies ranges as TSV, quoting awkward cells', () => {
    expect(toTsv([[1, null, 'a\tb'], ['x"y', true, '']])).toBe('1\t\t"a\tb"\n"x""y"\ttrue\t');
  });
});
