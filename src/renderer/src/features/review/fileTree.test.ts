import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../../../../shared/domain/review';
import { buildFileTree, countBySeverity, firstFile, flattenTree, foldersAbove, initiallyExpanded } from './fileTree';

function finding(file: string, severity: Severity, line = 1): Finding {
  return { ruleId: `rule-${severity}`, severity, message: 'm', location: { file, line, column: 1 } };
}

describe('buildFileTree', () => {
  const files = ['V10__late.sql', 'V2__early.sql', 'sub/deeper/V3__x.sql', 'sub/V1__a.sql', 'a-folder/V5.sql'];
  const findings = [finding('sub/deeper/V3__x.sql', 'error'), finding('sub/V1__a.sql', 'warning'), finding('sub/V1__a.sql', 'warning', 4), finding('V2__early.sql', 'info')];

  it('puts folders first, then files in natural order (V2 before V10)', () => {
    const tree = buildFileTree(files, findings);
    expect(tree.map((n) => n.name)).toEqual(['a-folder', 'sub', 'V2__early.sql', 'V10__late.sql']);
    const sub = tree.find((n) => n.name === 'sub')!;
    expect(sub.children.map((n) => `${n.kind}:${n.path}`)).toEqual(['folder:sub/deeper', 'file:sub/V1__a.sql']);
  });

  it('counts findings per file and sums them up every folder above', () => {
    const tree = buildFileTree(files, findings);
    const sub = tree.find((n) => n.name === 'sub')!;
    expect(sub.counts).toEqual({ error: 1, warning: 2, info: 0 });
    expect(sub.children[0]!.counts).toEqual({ error: 1, warning: 0, info: 0 });
    expect(sub.children[1]!.counts).toEqual({ error: 0, warning: 2, info: 0 });
    expect(tree.find((n) => n.name === 'a-folder')!.counts).toEqual({ error: 0, warning: 0, info: 0 });
  });

  it('adds a file only a finding names, and does not double one spelled with ./ or backslashes', () => {
    const tree = buildFileTree(['sub/V1__a.sql'], [finding('./sub/V1__a.sql', 'error'), finding('sub\\V1__a.sql', 'info'), finding('included/extra.xml', 'error')]);
    expect(flattenTree(tree, new Set(['sub', 'included'])).map((r) => r.node.path)).toEqual(['included', 'included/extra.xml', 'sub', 'sub/V1__a.sql']);
    expect(tree.find((n) => n.name === 'sub')!.children[0]!.counts).toEqual({ error: 1, warning: 0, info: 1 });
  });
});

describe('flattenTree', () => {
  it('shows children of open folders only, with level, set size and position', () => {
    const tree = buildFileTree(['a/x.sql', 'a/y.sql', 'b/z.sql', 'top.sql'], []);
    const rows = flattenTree(tree, new Set(['a']));
    expect(rows.map((r) => [r.node.path, r.level, r.posInSet, r.setSize, r.expanded])).toEqual([
      ['a', 1, 1, 3, true],
      ['a/x.sql', 2, 1, 2, undefined],
      ['a/y.sql', 2, 2, 2, undefined],
      ['b', 1, 2, 3, false],
      ['top.sql', 1, 3, 3, undefined],
    ]);
  });
});

describe('initiallyExpanded', () => {
  it('opens every folder of a small tree', () => {
    const tree = buildFileTree(['a/b/x.sql', 'c/y.sql'], []);
    expect([...initiallyExpanded(tree, 2)].sort()).toEqual(['a', 'a/b', 'c']);
  });

  it('opens only the way to the first file of a large tree', () => {
    const files = Array.from({ length: 300 }, (_, i) => `f${i % 3}/g/V${i}.sql`);
    const tree = buildFileTree(files, []);
    expect(firstFile(tree)?.path).toBe('f0/g/V0.sql');
    expect([...initiallyExpanded(tree, files.length)].sort()).toEqual(['f0', 'f0/g']);
  });
});

it('foldersAbove lists each folder from the top', () => {
  expect(foldersAbove('a/b/c.sql')).toEqual(['a', 'a/b']);
  expect(foldersAbove('c.sql')).toEqual([]);
});

it('countBySeverity counts each severity', () => {
  expect(countBySeverity([finding('a', 'error'), finding('a', 'info'), finding('b', 'info')])).toEqual({ error: 1, warning: 0, info: 2 });
});
