import type { CellValue, ColumnMeta } from '../shared/domain/query';

export interface TableWriterOptions {
  /** Widest a column may be, in characters; longer values are cut with '…'. Defaults to 40. */
  maxColumnWidth?: number;
  /** Rows looked at before the widths are fixed. Defaults to 200. */
  sampleRows?: number;
}

/**
 * Renders rows as an aligned text table for terminals. Widths come from the first rows, so the output
 * streams: memory stays bounded however many rows follow.
 */
export class TableWriter {
  readonly #max: number;
  readonly #sampleSize: number;
  #columns: ColumnMeta[] = [];
  #sample: CellValue[][] = [];
  #widths: number[] | undefined;
  #rows = 0;

  constructor(options: TableWriterOptions = {}) {
    this.#max = Math.max(4, options.maxColumnWidth ?? 40);
    this.#sampleSize = options.sampleRows ?? 200;
  }

  get rowCount(): number {
    return this.#rows;
  }

  columns(columns: ColumnMeta[]): void {
    this.#columns = columns;
  }

  /** Returns text to print now (empty while still sampling). */
  rows(rows: CellValue[][]): string {
    this.#rows += rows.length;
    if (this.#widths) return rows.map((r) => this.#line(r.map(cellText))).join('');
    this.#sample.push(...rows);
    return this.#sample.length >= this.#sampleSize ? this.#flushSample() : '';
  }

  /** Returns the rest of the table. */
  end(): string {
    return this.#widths ? '' : this.#flushSample();
  }

  #flushSample(): string {
    const texts = this.#sample.map((r) => r.map(cellText));
    this.#widths = this.#columns.map((c, i) => Math.min(this.#max, Math.max(displayWidth(c.name), ...texts.map((t) => displayWidth(t[i] ?? '')))));
    this.#sample = [];
    const header = this.#line(this.#columns.map((c) => c.name));
    const rule = `${this.#widths.map((w) => '-'.repeat(w)).join('-+-')}\n`;
    return header + rule + texts.map((t) => this.#line(t)).join('');
  }

  #line(cells: string[]): string {
    const widths = this.#widths!;
    return `${widths
      .map((w, i) => {
        const text = fit(cells[i] ?? '', w);
        const pad = ' '.repeat(Math.max(0, w - displayWidth(text)));
        return this.#columns[i]?.kind === 'number' ? pad + text : text + pad;
      })
      .join(' | ')
      .trimEnd()}\n`;
  }
}

/** How a cell reads in a terminal: NULL stays distinguishable from '', control characters are made visible. */
export function cellText(value: CellValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'object') return `\\x${value.hexPreview}${value.hexPreview.length / 2 < value.length ? '…' : ''}`;
  return String(value).replace(/\r?\n/g, '↵').replace(/\t/g, ' ');
}

function displayWidth(text: string): number {
  return [...text].length;
}

function fit(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, width - 1).join('')}…`;
}
