import type { Finding, Severity } from '../../../../shared/domain/review';

export type SeverityCounts = Record<Severity, number>;

export const severities: readonly Severity[] = ['error', 'warning', 'info'];

export function emptyCounts(): SeverityCounts {
  return { error: 0, warning: 0, info: 0 };
}

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts = emptyCounts();
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export interface FileTreeNode {
  /** The path relative to the reviewed root: a folder's path has no trailing slash. */
  path: string;
  name: string;
  kind: 'folder' | 'file';
  children: FileTreeNode[];
  /** Findings of the file, or of every file below the folder. */
  counts: SeverityCounts;
}

export interface FileTreeRow {
  node: FileTreeNode;
  level: number;
  setSize: number;
  posInSet: number;
  /** Undefined for files. */
  expanded?: boolean;
}

/**
 * The folder tree of a review: every file the readers opened, plus any file a finding names that the list lacks
 * (a reader problem in an included file), with finding counts per file and summed per folder. Folders first, then
 * files, each by name in natural order so V2 comes before V10.
 */
export function buildFileTree(files: readonly string[], findings: readonly Finding[]): FileTreeNode[] {
  const root: FileTreeNode = { path: '', name: '', kind: 'folder', children: [], counts: emptyCounts() };
  const folders = new Map<string, FileTreeNode>([['', root]]);
  const byFile = new Map<string, FileTreeNode>();

  const folderOf = (path: string): FileTreeNode => {
    const known = folders.get(path);
    if (known) return known;
    const cut = path.lastIndexOf('/');
    const parent = folderOf(cut < 0 ? '' : path.slice(0, cut));
    const node: FileTreeNode = { path, name: path.slice(cut + 1), kind: 'folder', children: [], counts: emptyCounts() };
    parent.children.push(node);
    folders.set(path, node);
    return node;
  };
  const addFile = (raw: string): FileTreeNode => {
    const path = normalize(raw);
    const known = byFile.get(path);
    if (known) return known;
    const cut = path.lastIndexOf('/');
    const node: FileTreeNode = { path, name: path.slice(cut + 1), kind: 'file', children: [], counts: emptyCounts() };
    folderOf(cut < 0 ? '' : path.slice(0, cut)).children.push(node);
    byFile.set(path, node);
    return node;
  };

  for (const file of files) addFile(file);
  for (const f of findings) {
    if (!f.location.file) continue;
    const node = addFile(f.location.file);
    node.counts[f.severity]++;
    // Each folder above the file counts it too.
    for (let path = node.path; path.includes('/'); ) {
      path = path.slice(0, path.lastIndexOf('/'));
      folders.get(path)!.counts[f.severity]++;
    }
  }
  sortTree(root);
  return root.children;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function sortTree(node: FileTreeNode): void {
  node.children.sort((a, b) => (a.kind === b.kind ? collator.compare(a.name, b.name) : a.kind === 'folder' ? -1 : 1));
  for (const child of node.children) sortTree(child);
}

/** Windows-style separators and a leading ./ would make one file look like two. */
export function normalize(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '');
}

/** The rows the tree shows: children of expanded folders only. */
export function flattenTree(nodes: readonly FileTreeNode[], expanded: ReadonlySet<string>, level = 1, out: FileTreeRow[] = []): FileTreeRow[] {
  nodes.forEach((node, i) => {
    const open = node.kind === 'folder' ? expanded.has(node.path) : undefined;
    out.push({ node, level, setSize: nodes.length, posInSet: i + 1, ...(open === undefined ? {} : { expanded: open }) });
    if (open) flattenTree(node.children, expanded, level + 1, out);
  });
  return out;
}

/**
 * Folders open at first: all of them for a small tree, else only those on the way to the first file, so a tree of
 * 2,000 files does not open as one long list.
 */
export function initiallyExpanded(nodes: readonly FileTreeNode[], fileCount: number): Set<string> {
  const open = new Set<string>();
  if (fileCount <= 200) {
    const all = (list: readonly FileTreeNode[]) => list.forEach((n) => n.kind === 'folder' && (open.add(n.path), all(n.children)));
    all(nodes);
    return open;
  }
  const first = firstFile(nodes);
  if (first) for (const folder of foldersAbove(first.path)) open.add(folder);
  return open;
}

/** The first file in the order the tree shows them. */
export function firstFile(nodes: readonly FileTreeNode[]): FileTreeNode | undefined {
  for (const node of nodes) {
    const found = node.kind === 'file' ? node : firstFile(node.children);
    if (found) return found;
  }
  return undefined;
}

/** The folders above a file, so selecting a file from the findings list can reveal it in the tree. */
export function foldersAbove(file: string): string[] {
  const parts = normalize(file).split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}
