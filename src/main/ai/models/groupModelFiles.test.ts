import { describe, expect, it } from 'vitest';
import { groupModelFiles, partNamesOf, splitPartOf } from './groupModelFiles';

describe('groupModelFiles', () => {
  it('keeps single files apart and groups a split set under its first part', () => {
    const groups = groupModelFiles(['b.gguf', 'big-00002-of-00002.gguf', 'big-00001-of-00002.gguf', 'sub/a.gguf']);
    expect(groups).toEqual([
      { id: 'b.gguf', files: ['b.gguf'], parts: 1, missing: [] },
      { id: 'big-00001-of-00002.gguf', files: ['big-00001-of-00002.gguf', 'big-00002-of-00002.gguf'], parts: 2, missing: [] },
      { id: 'sub/a.gguf', files: ['sub/a.gguf'], parts: 1, missing: [] },
    ]);
  });

  it('names the missing parts, the first one included', () => {
    const [group] = groupModelFiles(['m-00002-of-00003.gguf']);
    expect(group).toEqual({ id: 'm-00001-of-00003.gguf', files: ['m-00002-of-00003.gguf'], parts: 3, missing: ['m-00001-of-00003.gguf', 'm-00003-of-00003.gguf'] });
  });

  it('keeps sets with the same base but a different count apart, and folders apart', () => {
    const groups = groupModelFiles(['x-00001-of-00002.gguf', 'x-00001-of-00003.gguf', 'd/x-00001-of-00002.gguf']);
    expect(groups.map((g) => [g.id, g.parts, g.missing.length])).toEqual([
      ['d/x-00001-of-00002.gguf', 2, 1],
      ['x-00001-of-00002.gguf', 2, 1],
      ['x-00001-of-00003.gguf', 3, 2],
    ]);
  });

  it('reads part numbers and refuses impossible ones', () => {
    expect(splitPartOf('q-00002-of-00005.gguf')).toEqual({ base: 'q', part: 2, total: 5 });
    expect(splitPartOf('q-00006-of-00005.gguf')).toBeUndefined();
    expect(splitPartOf('q-00000-of-00005.gguf')).toBeUndefined();
    expect(splitPartOf('q-1-of-2.gguf')).toBeUndefined();
    expect(partNamesOf('q-00002-of-00003.gguf')).toEqual(['q-00001-of-00003.gguf', 'q-00002-of-00003.gguf', 'q-00003-of-00003.gguf']);
    expect(partNamesOf('plain.gguf')).toEqual(['plain.gguf']);
  });
});
