import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, type HTMLAttributes, type KeyboardEvent, type ReactNode } from 'react';

interface VirtualListProps<T> {
  items: readonly T[];
  /** The ARIA role of the list and of its rows. */
  role: 'list' | 'tree';
  label: string;
  /** A row's height; with `measure`, only the first guess, and a row may grow once drawn. */
  estimateSize: number;
  /** Measure each drawn row (rows of varying height). Defaults to false: every row is estimateSize high. */
  measure?: boolean;
  /** Keep it stable (a module-level function): a new one makes the list recompute every row's position. */
  itemKey: (item: T, index: number) => string;
  renderItem: (item: T, index: number) => ReactNode;
  /** Extra attributes of a row (aria-level, aria-expanded, a class …). */
  rowProps?: (item: T, index: number) => HTMLAttributes<HTMLDivElement> & { [data: `data-${string}`]: string | undefined };
  /** Scrolls this row into view when it changes. */
  scrollToIndex?: number;
  className?: string;
  onKeyDown?: (e: KeyboardEvent<HTMLDivElement>) => void;
  /** Shown instead of the rows when there are none. */
  empty?: ReactNode;
}

/** Rows drawn past either edge of the view, so a fast scroll shows no blank band. */
const overscan = 12;

/**
 * A list that draws only the rows in view, so 20,000 findings cost what 40 do. Rows carry aria-setsize and
 * aria-posinset, since the ones not drawn are not in the DOM for assistive technology to count.
 */
export function VirtualList<T>({ items, role, label, estimateSize, measure = false, itemKey, renderItem, rowProps, scrollToIndex, className, onKeyDown, empty }: VirtualListProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const getItemKey = useCallback((index: number) => itemKey(items[index]!, index), [items, itemKey]);
  // TanStack Virtual returns new functions each render by design; the React compiler is told to leave it alone.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimateSize,
    overscan,
    getItemKey,
  });

  useEffect(() => {
    if (scrollToIndex !== undefined && scrollToIndex >= 0 && scrollToIndex < items.length) virtualizer.scrollToIndex(scrollToIndex, { align: 'auto' });
  }, [scrollToIndex, items.length, virtualizer]);

  const rowRole = role === 'tree' ? 'treeitem' : 'listitem';
  return (
    <div ref={scrollRef} className={`virtual-scroll ${className ?? ''}`} role={role} aria-label={label} onKeyDown={onKeyDown}>
      {items.length === 0 && empty}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((row) => {
          const item = items[row.index]!;
          const extra = rowProps?.(item, row.index) ?? {};
          return (
            <div
              key={row.key}
              data-index={row.index}
              ref={measure ? virtualizer.measureElement : undefined}
              role={rowRole}
              aria-setsize={items.length}
              aria-posinset={row.index + 1}
              {...extra}
              className={`virtual-row ${extra.className ?? ''}`}
              style={{ ...extra.style, position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${row.start}px)` }}
            >
              {renderItem(item, row.index)}
            </div>
          );
        })}
      </div>
    </div>
  );
}
