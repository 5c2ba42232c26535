import { useMemo, useRef, useState } from 'react';
import type { SchemaModel } from '../../../../shared/domain/SchemaModel';
import { flatten, schemaNodes, type NodeKind } from './schemaNodes';

interface SchemaTreeProps {
  schema: SchemaModel | undefined;
  loading: boolean;
  error: string | undefined;
  onRefresh: () => void;
  onOpenRelation: (schema: string, name: string) => void;
}

const icons: Record<NodeKind, string> = {
  schema: '◫', group: '▤', table: '▦', view: '◧', column: '▫', index: '⚡', fk: '↗', routine: 'ƒ', sequence: '#', enum: '≡',
};

/** The schema as an ARIA tree: schemas → groups → tables → columns, indexes and keys; with a search box. */
export function SchemaTree({ schema, loading, error, onRefresh, onOpenRelation }: SchemaTreeProps) {
  const [filter, setFilter] = useState('');
  const [expanded, setExpanded] = useState<Set<string>>(() => initialExpanded(schema));
  const [expandedFor, setExpandedFor] = useState(schema);
  const [focusId, setFocusId] = useState<string | undefined>();
  const treeRef = useRef<HTMLDivElement>(null);

  const nodes = useMemo(() => (schema ? schemaNodes(schema, filter) : []), [schema, filter]);
  if (schema !== expandedFor) {
    setExpandedFor(schema);
    setExpanded(initialExpanded(schema));
  }

  const rows = useMemo(() => flatten(nodes, expanded, filter.trim() !== ''), [nodes, expanded, filter]);
  const toggle = (id: string, open?: boolean) =>
    setExpanded((s) => {
      const next = new Set(s);
      if (open ?? !next.has(id)) next.add(id);
      else next.delete(id);
      return next;
    });

  const focusRow = (index: number) => {
    const row = rows[Math.max(0, Math.min(rows.length - 1, index))];
    if (!row) return;
    setFocusId(row.node.id);
    treeRef.current?.querySelector<HTMLElement>(`[data-node-id="${CSS.escape(row.node.id)}"]`)?.focus();
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    const index = rows.findIndex((r) => r.node.id === focusId);
    const row = rows[index];
    switch (e.key) {
      case 'ArrowDown': focusRow(index + 1); break;
      case 'ArrowUp': focusRow(index - 1); break;
      case 'Home': focusRow(0); break;
      case 'End': focusRow(rows.length - 1); break;
      case 'ArrowRight':
        if (row?.expanded === false) toggle(row.node.id, true);
        else if (row?.expanded) focusRow(index + 1);
        break;
      case 'ArrowLeft':
        if (row?.expanded) toggle(row.node.id, false);
        else if (row) {
          for (let i = index - 1; i >= 0; i--) if (rows[i]!.level < row.level) return focusRow(i);
        }
        break;
      case 'Enter':
        if (row?.node.target) onOpenRelation(row.node.target.schema, row.node.target.name);
        else if (row?.expanded !== undefined) toggle(row.node.id);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const tabStop = rows.some((r) => r.node.id === focusId) ? focusId : rows[0]?.node.id;

  return (
    <section className="sidebar-section schema">
      <div className="tree-toolbar">
        <input
          type="search"
          className="tree-search"
          placeholder="Filter tables, columns…"
          aria-label="Filter schema"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <button type="button" className="icon-button" onClick={onRefresh} aria-label="Refresh schema" title="Refresh schema" disabled={loading}>
          ↻
        </button>
      </div>
      {error && (
        <p className="sidebar-message error" role="alert">
          {error}
        </p>
      )}
      {loading && !schema && <p className="sidebar-message">Loading schema…</p>}
      <div ref={treeRef} role="tree" aria-label="Schema" className="tree" onKeyDown={onKeyDown}>
        {rows.map(({ node, level, setSize, posInSet, expanded: isOpen }) => (
          <div
            key={node.id}
            role="treeitem"
            data-node-id={node.id}
            aria-level={level}
            aria-setsize={setSize}
            aria-posinset={posInSet}
            aria-expanded={isOpen}
            aria-selected={node.id === focusId}
            tabIndex={node.id === tabStop ? 0 : -1}
            className={`tree-item kind-${node.kind}${node.id === focusId ? ' focused' : ''}`}
            style={{ paddingLeft: 6 + (level - 1) * 14 }}
            onFocus={() => setFocusId(node.id)}
            onClick={() => {
              setFocusId(node.id);
              if (isOpen !== undefined) toggle(node.id);
            }}
            onDoubleClick={() => node.target && onOpenRelation(node.target.schema, node.target.name)}
            title={node.detail ? `${node.label} — ${node.detail}` : node.label}
          >
            <span className="twisty" aria-hidden="true">{isOpen === undefined ? '' : isOpen ? '▾' : '▸'}</span>
            <span className={`node-icon icon-${node.kind}`} aria-hidden="true">{icons[node.kind]}</span>
            <span className="node-label">{node.label}</span>
            {node.detail && <span className="node-detail">{node.detail}</span>}
          </div>
        ))}
        {schema && rows.length === 0 && <p className="sidebar-message">{filter ? 'Nothing matches.' : 'No objects.'}</p>}
      </div>
    </section>
  );
}

/** The default schema and its tables group start open, as DBAs expect to see tables straight away. */
function initialExpanded(schema: SchemaModel | undefined): Set<string> {
  if (!schema) return new Set();
  const first = schema.schemas.find((s) => s.name === 'public' || s.name === 'main' || s.name === schema.database) ?? schema.schemas[0];
  return first ? new Set([`schema.${first.name}`, `${first.name}.tables`]) : new Set();
}
