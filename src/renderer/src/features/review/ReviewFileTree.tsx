import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { flattenTree, severities, type FileTreeNode, type FileTreeRow, type SeverityCounts } from './fileTree';
import { VirtualList } from './VirtualList';

interface ReviewFileTreeProps {
  nodes: readonly FileTreeNode[];
  expanded: ReadonlySet<string>;
  onToggle: (path: string, open?: boolean) => void;
  selected: string | undefined;
  onSelect: (file: string) => void;
}

const severityWords: Record<keyof SeverityCounts, [string, string]> = { error: ['error', 'errors'], warning: ['warning', 'warnings'], info: ['info', 'infos'] };

export function countsText(counts: SeverityCounts): string {
  return severities
    .filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${severityWords[s][counts[s] === 1 ? 0 : 1]}`)
    .join(', ');
}

function rowKey(r: FileTreeRow): string {
  return `${r.node.kind}:${r.node.path}`;
}

/** The reviewed folder as an ARIA tree, windowed: a folder of 2,000 migrations draws only the rows in view. */
export function ReviewFileTree({ nodes, expanded, onToggle, selected, onSelect }: ReviewFileTreeProps) {
  const rows = useMemo(() => flattenTree(nodes, expanded), [nodes, expanded]);
  const [focused, setFocused] = useState<string | undefined>();
  const hostRef = useRef<HTMLDivElement>(null);
  const focusIndex = rows.findIndex((r) => r.node.path === (focused ?? selected));
  const tabStop = focusIndex >= 0 ? rows[focusIndex]!.node.path : rows[0]?.node.path;

  // Keyboard moves may land on a row that is not drawn yet: focus it once the list has scrolled to it.
  const wantFocus = useRef(false);
  useEffect(() => {
    if (!wantFocus.current || !focused) return;
    const frame = requestAnimationFrame(() => {
      hostRef.current?.querySelector<HTMLElement>(`[data-path="${CSS.escape(focused)}"]`)?.focus();
      wantFocus.current = false;
    });
    return () => cancelAnimationFrame(frame);
  }, [focused, rows]);

  const move = (index: number) => {
    const row = rows[Math.max(0, Math.min(rows.length - 1, index))];
    if (!row) return;
    wantFocus.current = true;
    setFocused(row.node.path);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const row = rows[focusIndex];
    switch (e.key) {
      case 'ArrowDown': move(focusIndex + 1); break;
      case 'ArrowUp': move(focusIndex - 1); break;
      case 'Home': move(0); break;
      case 'End': move(rows.length - 1); break;
      case 'ArrowRight':
        if (row?.expanded === false) onToggle(row.node.path, true);
        else if (row?.expanded) move(focusIndex + 1);
        break;
      case 'ArrowLeft':
        if (row?.expanded) onToggle(row.node.path, false);
        else if (row) for (let i = focusIndex - 1; i >= 0; i--) if (rows[i]!.level < row.level) return move(i);
        break;
      case 'Enter':
      case ' ':
        if (row?.node.kind === 'file') onSelect(row.node.path);
        else if (row) onToggle(row.node.path);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <div ref={hostRef} className="review-tree-host">
      <VirtualList
        items={rows}
        role="tree"
        label="Migration files"
        estimateSize={22}
        className="tree review-tree"
        scrollToIndex={focusIndex}
        onKeyDown={onKeyDown}
        itemKey={rowKey}
        rowProps={(r) => ({
          'data-path': r.node.path,
          'aria-level': r.level,
          'aria-setsize': r.setSize,
          'aria-posinset': r.posInSet,
          'aria-expanded': r.expanded,
          'aria-selected': r.node.kind === 'file' ? r.node.path === selected : undefined,
          'aria-label': `${r.node.name}${countsText(r.node.counts) ? `, ${countsText(r.node.counts)}` : ''}`,
          tabIndex: r.node.path === tabStop ? 0 : -1,
          className: `tree-item${r.node.path === selected ? ' focused' : ''}`,
          title: r.node.path,
          style: { paddingLeft: 6 + (r.level - 1) * 14 },
          onFocus: () => setFocused(r.node.path),
          onClick: () => (r.node.kind === 'file' ? onSelect(r.node.path) : onToggle(r.node.path)),
        })}
        renderItem={(r) => (
          <>
            <span className="twisty" aria-hidden="true">{r.expanded === undefined ? '' : r.expanded ? '▾' : '▸'}</span>
            <span className="node-icon" aria-hidden="true">{r.node.kind === 'folder' ? '▤' : '▫'}</span>
            <span className="node-label">{r.node.name}</span>
            <span className="spacer" />
            {severities.map((s) =>
              r.node.counts[s] > 0 ? (
                <span key={s} className={`count-badge sev-${s}`} aria-hidden="true" title={`${r.node.counts[s]} ${severityWords[s][r.node.counts[s] === 1 ? 0 : 1]}`}>
                  {r.node.counts[s]}
                </span>
              ) : null,
            )}
          </>
        )}
      />
    </div>
  );
}
