import type { CellValue, ColumnMeta } from '../../shared/domain/query';
import { writeChunk } from './writeChunk';

export interface CsvOptions {
  /** Line terminator. Defaults to '\r\n', as RFC 4180 says. */
  lineEnding?: string;
  /** Write the column names as the first line. Defaults to true. */
  header?: boolean;
}

const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

/**
 * One CSV field (RFC 4180). NULL is an empty unquoted field and '' is `""`, so the two stay distinct on re-import;
 * binary is `\x` followed by hex (PostgreSQL's bytea text form), of the bytes the driver kept.
 */
export function csvField(value: CellValue): string {
  if (value === null) return '';
  switch (typeof value) {
    case 'string':
      if (value === '') return '""';
      return NEEDS_QUOTES.test(value) ? `"${value.replace(QUOTE, '""')}"` : value;
    case 'number':
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return `\\x${value.hexPreview}`;
  }
}

/** Streams rows as CSV into `out`, awaiting 'drain'. Does not end `out`: the caller owns it (it may be stdout). */
export class CsvWriter {
  private readonly eol: string;
  private headerPending: boolean;
  rows = 0;
  bytes = 0;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly columns: readonly ColumnMeta[],
    options: CsvOptions = {},
  ) {
    this.eol = options.lineEnding ?? '\r\n';
    this.headerPending = options.header ?? true;
  }

  async writeRows(rows: readonly CellValue[][]): Promise<void> {
    let chunk = '';
    if (this.headerPending) {
      this.headerPending = false;
      chunk = this.columns.map((c) => csvField(c.name)).join(',') + this.eol;
    }
    const eol = this.eol;
    for (const row of rows) {
      let line = '';
      for (let i = 0; i < row.length; i++) {
        if (i > 0) line += ',';
        line += csvField(row[i]!);
      }
      chunk += line + eol;
    }
    this.rows += rows.length;
    await this.flush(chunk);
  }

  /** Writes the header if no row came; leaves `out` open. */
  async end(): Promise<{ rows: number; bytes: number }> {
    if (this.headerPending) await this.writeRows([]);
    return { rows: this.rows, bytes: this.bytes };
  }

  private async flush(chunk: string): Promise<void> {
    // Encoding once here both counts the bytes and spares the stream a second encode.
    const buf = Buffer.from(chunk, 'utf8');
    this.bytes += buf.length;
    await writeChunk(this.out, buf);
  }
}

/** Write every batch as CSV; returns the rows and bytes written. */
export async function writeCsv(
  out: NodeJS.WritableStream,
  columns: readonly ColumnMeta[],
  batches: Iterable<readonly CellValue[][]> | AsyncIterable<readonly CellValue[][]>,
  options?: CsvOptions,
): Promise<{ rows: number; bytes: number }> {
  const writer = new CsvWriter(out, columns, options);
  for await (const batch of batches) await writer.writeRows(batch);
  return writer.end();
}
