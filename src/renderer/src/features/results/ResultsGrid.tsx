import { useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState, type KeyboardEvent } from 'react';
import type { CellValue, ColumnMeta } from '../../../../shared/domain/query';
import { errorMessage } from '../../api';
import { useClient } from '../../app/ClientContext';
import { PageCache } from './PageCache';
import { cellText, isBinary, isNumeric, toTsv } from './formatCell';

export interface GridSort {
  column: number;
  direction: 'asc' | 'desc';
}

interface ResultsGridProps {
  queryId: string;
  resultIndex: number;
  columns: ColumnMeta[];
  /** Rows spooled so far. */
  total: number;
  /** Whether the result is complete. */
  done: boolean;
  sort: GridSort | undefined;
  onSortChange: (sort: GridSort | undefined) => void;
  onOpenCell: (row: number, column: number, value: CellValue | undefined) => void;
}

interface CellPos {
  row: number;
  col: number;
}

const rowHeight = 24;
const headerHeight = 28;
const rowNumberWidth = 64;
/** Browsers cap element heights (Chromium near 33M px, Firefox near 17M); past this the scrollbar is scaled. */
const maxScrollHeight = 15_000_000;
const overscanRows = 20;
const maxCopyRows = 100_000;

function initialWidth(c: ColumnMeta): number {
  const byKind = c.kind === 'number' || c.kind === 'boolean' ? 110 : c.kind === 'datetime' ? 190 : 200;
  return Math.max(byKind, Math.min(320, c.name.length * 9 + 40));
}

/**
 * The results grid: windowed rows fetched page by page for the visible window only (a bounded LRU keeps
 * memory flat at a million rows), server-side sort, resizable columns, keyboard cell navigation and copy.
 */
export function ResultsGrid({ queryId, resultIndex, columns, total: reported, done, sort, onSortChange, onOpenCell }: ResultsGridProps) {
  const client = useClient();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [, redraw] = useReducer((x: number) => x + 1, 0);
  const [scrollTop, setScrollTop] = useState(0);
  const [scrollLeft, setScrollLeft] = useState(0);
  const [viewport, setViewport] = useState({ height: 400, width: 800 });
  const [widths, setWidths] = useState<number[]>(() => columns.map(initialWidth));
  const [anchor, setAnchor] = useState<CellPos | undefined>();
  const [focus, setFocus] = useState<CellPos | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [copied, setCopied] = useState<string | undefined>();

  const cache = useMemo(
    () =>
      new PageCache(
        async (offset, limit) => {
          const page = await client.call('query.page', { queryId, resultIndex, offset, limit, ...(sort ? { sort } : {}) });
          return { offset: page.offset, rows: page.rows };
        },
        500,
        40,
        redraw,
      ),
    [client, queryId, resultIndex, sort],
  );

  // Progress events come at intervals; the first page may already be spooled before the first one arrives, so
  // ask for it straight away rather than show an empty grid for up to an interval.
  const [probed, setProbed] = useState(0);
  useEffect(() => {
    if (reported > 0 || done) return;
    let live = true;
    // Through the cache, so the page fetched here is the one the grid then shows.
    cache.ensure(0, cache.pageSize - 1, cache.pageSize).then(
      () => {
        let n = 0;
        while (n < cache.pageSize && cache.row(n)) n++;
        if (live && n > 0) setProbed(n);
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [cache, reported, done]);
  const total = Math.max(reported, probed);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => setViewport({ height: el.clientHeight, width: el.clientWidth });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const bodyHeight = Math.max(0, viewport.height - headerHeight);
  const visibleCount = Math.ceil(bodyHeight / rowHeight) + 1;
  const fullHeight = total * rowHeight;
  const contentHeight = Math.min(fullHeight, maxScrollHeight);
  const scaled = fullHeight > maxScrollHeight;
  let firstRow: number;
  let windowTop: number;
  if (!scaled) {
    firstRow = Math.floor(scrollTop / rowHeight);
    windowTop = firstRow * rowHeight;
  } else {
    const maxTop = Math.max(1, contentHeight - bodyHeight);
    const fullyVisible = Math.floor(bodyHeight / rowHeight);
    firstRow = Math.round((Math.min(scrollTop, maxTop) / maxTop) * Math.max(0, total - fullyVisible));
    windowTop = Math.min(scrollTop, maxTop);
  }
  firstRow = Math.max(0, Math.min(firstRow, Math.max(0, total - 1)));
  const lastRow = Math.min(total - 1, firstRow + visibleCount);

  useEffect(() => {
    if (total === 0) return;
    cache.ensure(Math.max(0, firstRow - overscanRows), lastRow + overscanRows, total).then(
      () => setLoadError(undefined),
      (e) => setLoadError(errorMessage(e)),
    );
  }, [cache, firstRow, lastRow, total]);

  const scrollRowIntoView = useCallback(
    (row: number) => {
      const el = scrollRef.current;
      if (!el) return;
      if (!scaled) {
        const top = row * rowHeight;
        if (top < el.scrollTop) el.scrollTop = top;
        else if (top + rowHeight > el.scrollTop + bodyHeight) el.scrollTop = top + rowHeight - bodyHeight;
      } else if (row < firstRow || row > firstRow + Math.floor(bodyHeight / rowHeight) - 1) {
        const fullyVisible = Math.floor(bodyHeight / rowHeight);
        const maxTop = Math.max(1, contentHeight - bodyHeight);
        const target = row < firstRow ? row : row - fullyVisible + 1;
        el.scrollTop = (Math.max(0, target) / Math.max(1, total - fullyVisible)) * maxTop;
      }
    },
    [scaled, bodyHeight, firstRow, contentHeight, total],
  );

  const columnLefts = useMemo(() => {
    const lefts: number[] = [];
    let x = rowNumberWidth;
    for (const w of widths) {
      lefts.push(x);
      x += w;
    }
    lefts.push(x);
    return lefts;
  }, [widths]);
  const totalWidth = columnLefts[columnLefts.length - 1] ?? rowNumberWidth;

  const scrollColumnIntoView = (col: number) => {
    const el = scrollRef.current;
    if (!el) return;
    const left = columnLefts[col]! - rowNumberWidth;
    const right = columnLefts[col + 1]!;
    if (left < el.scrollLeft) el.scrollLeft = left;
    else if (right > el.scrollLeft + viewport.width) el.scrollLeft = right - viewport.width;
  };

  const moveTo = (pos: CellPos, extend: boolean) => {
    const clamped = { row: Math.max(0, Math.min(total - 1, pos.row)), col: Math.max(0, Math.min(columns.length - 1, pos.col)) };
    setFocus(clamped);
    if (!extend) setAnchor(clamped);
    scrollRowIntoView(clamped.row);
    scrollColumnIntoView(clamped.col);
  };

  const selection = anchor && focus
    ? {
        r0: Math.min(anchor.row, focus.row),
        r1: Math.max(anchor.row, focus.row),
        c0: Math.min(anchor.col, focus.col),
        c1: Math.max(anchor.col, focus.col),
      }
    : undefined;

  const copySelection = async () => {
    if (!selection) return;
    const { r0, c0, c1 } = selection;
    const r1 = Math.min(selection.r1, r0 + maxCopyRows - 1);
    try {
      const rows: (CellValue | undefined)[][] = [];
      for (let offset = r0; offset <= r1; offset += 10_000) {
        const limit = Math.min(10_000, r1 - offset + 1);
        const cached: CellValue[][] = [];
        for (let r = offset; r < offset + limit; r++) {
          const row = cache.row(r);
          if (!row) break;
          cached.push(row);
        }
        const chunk =
          cached.length === limit
            ? cached
            : (await client.call('query.page', { queryId, resultIndex, offset, limit, ...(sort ? { sort } : {}) })).rows;
        for (const row of chunk) rows.push(row.slice(c0, c1 + 1));
      }
      await writeClipboard(toTsv(rows));
      const cells = rows.length * (c1 - c0 + 1);
      setCopied(cells === 1 ? 'Copied 1 cell' : `Copied ${rows.length} × ${c1 - c0 + 1} cells`);
    } catch (e) {
      setCopied(`Copy failed: ${errorMessage(e)}`);
    }
  };

  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(undefined), 2500);
    return () => clearTimeout(t);
  }, [copied]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (total === 0 || columns.length === 0) return;
    const mod = e.ctrlKey || e.metaKey;
    const pos = focus ?? { row: firstRow, col: 0 };
    const page = Math.max(1, Math.floor(bodyHeight / rowHeight) - 1);
    let next: CellPos | undefined;
    switch (e.key) {
      case 'ArrowDown': next = { ...pos, row: mod ? total - 1 : pos.row + 1 }; break;
      case 'ArrowUp': next = { ...pos, row: mod ? 0 : pos.row - 1 }; break;
      case 'ArrowRight': next = { ...pos, col: mod ? columns.length - 1 : pos.col + 1 }; break;
      case 'ArrowLeft': next = { ...pos, col: mod ? 0 : pos.col - 1 }; break;
      case 'PageDown': next = { ...pos, row: pos.row + page }; break;
      case 'PageUp': next = { ...pos, row: pos.row - page }; break;
      case 'Home': next = mod ? { row: 0, col: 0 } : { ...pos, col: 0 }; break;
      case 'End': next = mod ? { row: total - 1, col: columns.length - 1 } : { ...pos, col: columns.length - 1 }; break;
      case 'Enter':
        if (focus) onOpenCell(focus.row, focus.col, cache.row(focus.row)?.[focus.col]);
        e.preventDefault();
        return;
      case 'c':
      case 'C':
        if (mod) {
          e.preventDefault();
          void copySelection();
        }
        return;
      case 'a':
        if (mod) {
          e.preventDefault();
          setAnchor({ row: 0, col: 0 });
          setFocus({ row: total - 1, col: columns.length - 1 });
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    moveTo(next, e.shiftKey);
  };

  const startResize = (col: number, e: React.PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    e.stopPropagation();
    const startX = e.clientX;
    const startWidth = widths[col]!;
    const target = e.currentTarget;
    target.setPointerCapture(e.pointerId);
    const move = (ev: PointerEvent) => {
      const w = Math.max(40, startWidth + ev.clientX - startX);
      setWidths((ws) => ws.map((old, i) => (i === col ? w : old)));
    };
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
  };

  const clickHeader = (col: number) => {
    if (!sort || sort.column !== col) onSortChange({ column: col, direction: 'asc' });
    else if (sort.direction === 'asc') onSortChange({ column: col, direction: 'desc' });
    else onSortChange(undefined);
  };

  // Only the columns in view are rendered, so a 300-column result stays as light as a 3-column one.
  let c0 = 0;
  while (c0 < columns.length - 1 && columnLefts[c0 + 1]! < scrollLeft + rowNumberWidth) c0++;
  let c1 = c0;
  while (c1 < columns.length - 1 && columnLefts[c1 + 1]! < scrollLeft + viewport.width) c1++;

  const rows = [];
  for (let r = firstRow; r <= lastRow; r++) {
    const data = cache.row(r);
    const cells = [];
    for (let c = c0; c <= c1 && c < columns.length; c++) {
      const v = data?.[c];
      const selected = selection && r >= selection.r0 && r <= selection.r1 && c >= selection.c0 && c <= selection.c1;
      const focused = focus?.row === r && focus.col === c;
      const cls = ['cell'];
      if (v === null) cls.push('cell-null');
      else if (isBinary(v ?? null)) cls.push('cell-binary');
      if (isNumeric(columns[c], v ?? null)) cls.push('cell-number');
      if (selected) cls.push('cell-selected');
      if (focused) cls.push('cell-focused');
      cells.push(
        <div
          key={c}
          role="gridcell"
          aria-colindex={c + 2}
          aria-selected={selected ? true : undefined}
          className={cls.join(' ')}
          style={{ left: columnLefts[c], width: widths[c] }}
          onMouseDown={(e) => {
            if (e.button !== 0) return;
            const pos = { row: r, col: c };
            setFocus(pos);
            if (!e.shiftKey) setAnchor(pos);
            scrollRef.current?.focus({ preventScroll: true });
          }}
          onDoubleClick={() => onOpenCell(r, c, v)}
          title={v === undefined ? undefined : cellText(v).length >= 200 ? 'Double-click or Enter to view the whole value' : undefined}
        >
          {v === undefined ? '' : cellText(v)}
        </div>,
      );
    }
    rows.push(
      <div
        key={r}
        role="row"
        aria-rowindex={r + 2}
        className={`grid-row${r % 2 ? ' grid-row-odd' : ''}${data ? '' : ' grid-row-loading'}`}
        style={{ top: windowTop + (r - firstRow) * rowHeight, width: totalWidth }}
      >
        <div className="row-number" role="rowheader" aria-label={`Row ${r + 1}`}>
          {r + 1}
        </div>
        {cells}
      </div>,
    );
  }

  return (
    <div className="grid-wrap">
      <div
        ref={scrollRef}
        className="grid-scroll"
        role="grid"
        aria-label="Results"
        aria-rowcount={total + 1}
        aria-colcount={columns.length + 1}
        aria-multiselectable="true"
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={(e) => {
          setScrollTop(e.currentTarget.scrollTop);
          setScrollLeft(e.currentTarget.scrollLeft);
        }}
      >
        <div className="grid-header" role="row" aria-rowindex={1} style={{ width: totalWidth }}>
          <div className="row-number header-corner" aria-hidden="true">#</div>
          {columns.map((col, c) => {
            const sorted = sort?.column === c ? sort.direction : undefined;
            if (c < c0 || c > c1) return null;
            return (
              <div
                key={c}
                role="columnheader"
                aria-colindex={c + 2}
                aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                className={`col-header${isNumeric(col, null) ? ' cell-number' : ''}`}
                style={{ left: columnLefts[c], width: widths[c] }}
                title={`${col.name} ${col.type}`}
              >
                <button type="button" className="col-sort" onClick={() => clickHeader(c)} aria-label={`${col.name}, sort`}>
                  <span className="col-name">{col.name}</span>
                  <span className="col-type">{col.type}</span>
                  <span className="sort-mark" aria-hidden="true">{sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}</span>
                </button>
                <div
                  className="col-resize"
                  role="separator"
                  aria-orientation="vertical"
                  aria-label={`Resize ${col.name}`}
                  onPointerDown={(e) => startResize(c, e)}
                />
              </div>
            );
          })}
        </div>
        <div className="grid-body" style={{ height: contentHeight, width: totalWidth }}>
          {rows}
        </div>
      </div>
      {(loadError || copied) && (
        <div className={`grid-toast${loadError ? ' grid-toast-error' : ''}`} role={loadError ? 'alert' : 'status'}>
          {loadError ? `Could not load rows: ${loadError}` : copied}
        </div>
      )}
    </div>
  );
}

async function writeClipboard(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Some embedders deny the async clipboard; the old path still works from a key handler.
    const area = document.createElement('textarea');
    area.value = text;
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}
