import type { SchemaInfo, SchemaModel, TableInfo, ViewInfo } from '../../../../shared/domain/SchemaModel';
import { formatBytes } from '../../../../shared/format/formatBytes';

export type NodeKind = 'schema' | 'group' | 'table' | 'view' | 'column' | 'index' | 'fk' | 'routine' | 'sequence' | 'enum';

export interface TreeNode {
  id: string;
  label: string;
  kind: NodeKind;
  /** Shown dimmed after the label: a type, a row-count hint. */
  detail?: string;
  /** For tables and views: what a double click opens. */
  target?: { schema: string; name: string };
  children?: TreeNode[];
}

export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.max(0, Math.round(n)));
}

function relationNode(s: SchemaInfo, t: TableInfo | ViewInfo, kind: 'table' | 'view'): TreeNode {
  const id = `${s.name}.${kind}.${t.name}`;
  const children: TreeNode[] = t.columns.map((c) => ({
    id: `${id}.col.${c.name}`,
    label: c.name,
    kind: 'column' as const,
    detail: `${c.dataType}${c.nullable ? '' : ' not null'}`,
  }));
  let detail: string | undefined;
  if (kind === 'table') {
    const table = t as TableInfo;
    const pk = new Set(table.primaryKey?.columns ?? []);
    for (const child of children) if (pk.has(child.label)) child.detail = `${child.detail} · PK`;
    if (table.indexes.length) {
      children.push({
        id: `${id}.indexes`,
        label: `Indexes (${table.indexes.length})`,
        kind: 'group',
        children: table.indexes.map((ix) => ({
          id: `${id}.ix.${ix.name}`,
          label: ix.name,
          kind: 'index' as const,
          detail: `${ix.unique ? 'unique ' : ''}${ix.method} (${ix.columns.map((p) => ('column' in p ? p.column : p.expression)).join(', ')})`,
        })),
      });
    }
    if (table.foreignKeys.length) {
      children.push({
        id: `${id}.fks`,
        label: `Foreign keys (${table.foreignKeys.length})`,
        kind: 'group',
        children: table.foreignKeys.map((fk, i) => ({
          id: `${id}.fk.${fk.name ?? i}`,
          label: fk.name ?? fk.columns.join(', '),
          kind: 'fk' as const,
          detail: `(${fk.columns.join(', ')}) → ${fk.referencedTable}(${fk.referencedColumns.join(', ')})`,
        })),
      });
    }
    const hints = [];
    if (table.estimatedRows !== undefined && table.estimatedRows >= 0) hints.push(`~${formatCount(table.estimatedRows)} rows`);
    if (table.sizeBytes !== undefined) hints.push(formatBytes(table.sizeBytes));
    detail = hints.join(' · ') || undefined;
  } else if ((t as ViewInfo).materialized) detail = 'materialized';
  return { id, label: t.name, kind, detail, target: { schema: s.name, name: t.name }, children };
}

/** The schema tree's nodes; with a filter, only relations and routines whose name (or a column's) contains it. */
export function schemaNodes(model: SchemaModel, filter: string): TreeNode[] {
  const q = filter.trim().toLowerCase();
  const hit = (name: string) => !q || name.toLowerCase().includes(q);
  const relHit = (t: TableInfo | ViewInfo) => hit(t.name) || (q.length > 1 && t.columns.some((c) => hit(c.name)));
  return model.schemas.map((s) => {
    const groups: TreeNode[] = [];
    const tables = s.tables.filter(relHit);
    const views = s.views.filter(relHit);
    const routines = s.routines.filter((r) => hit(r.name));
    const sequences = s.sequences.filter((r) => hit(r.name));
    const enums = s.enums.filter((r) => hit(r.name));
    const group = (key: string, label: string, children: TreeNode[]) => {
      if (children.length || !q) groups.push({ id: `${s.name}.${key}`, label: `${label} (${children.length})`, kind: 'group', children });
    };
    group('tables', 'Tables', tables.map((t) => relationNode(s, t, 'table')));
    group('views', 'Views', views.map((v) => relationNode(s, v, 'view')));
    if (s.routines.length || routines.length) {
      group('routines', 'Routines', routines.map((r) => ({ id: `${s.name}.fn.${r.name}${r.signature}`, label: r.name, kind: 'routine' as const, detail: `${r.signature}${r.returns ? ` → ${r.returns}` : ''}` })));
    }
    if (s.sequences.length) group('sequences', 'Sequences', sequences.map((r) => ({ id: `${s.name}.seq.${r.name}`, label: r.name, kind: 'sequence' as const, detail: r.dataType })));
    if (s.enums.length) group('enums', 'Enums', enums.map((r) => ({ id: `${s.name}.enum.${r.name}`, label: r.name, kind: 'enum' as const, detail: r.values.join(', ') })));
    return { id: `schema.${s.name}`, label: s.name, kind: 'schema' as const, children: groups };
  }).filter((s) => !q || s.children!.length > 0);
}

export interface FlatNode {
  node: TreeNode;
  level: number;
  setSize: number;
  posInSet: number;
  expanded: boolean | undefined;
}

/** Visible rows of the tree: a node's children show when it is expanded (or, while filtering, down to the hits). */
export function flatten(nodes: TreeNode[], expanded: Set<string>, filtering: boolean): FlatNode[] {
  const out: FlatNode[] = [];
  const walk = (list: TreeNode[], level: number) => {
    list.forEach((node, i) => {
      const hasChildren = !!node.children?.length;
      const autoOpen = filtering && (node.kind === 'schema' || node.kind === 'group') && level <= 2;
      const isOpen = hasChildren && (expanded.has(node.id) || autoOpen);
      out.push({ node, level, setSize: list.length, posInSet: i + 1, expanded: hasChildren ? isOpen : undefined });
      if (isOpen) walk(node.children!, level + 1);
    });
  };
  walk(nodes, 1);
  return out;
}
