import type { CellValue, ColumnMeta } from '../../shared/domain/query';
import { CsvWriter } from './writeCsv';
import { JsonWriter } from './writeJson';

export type ExportFormat = 'csv' | 'json';

/** Writes batches of rows in one export format. Used by query export and the CLI's `quarry query --format`. */
export interface RowWriter {
  /** Resolves once the chunk is accepted by `out` (after 'drain' when its buffer was full). */
  writeRows(rows: readonly CellValue[][]): Promise<void>;
  /** Writes any trailer (JSON's ']'); does not end `out`, which the caller owns. */
  end(): Promise<{ rows: number; bytes: number }>;
}

export function createRowWriter(format: ExportFormat, out: NodeJS.WritableStream, columns: readonly ColumnMeta[]): RowWriter {
  return format === 'csv' ? new CsvWriter(out, columns) : new JsonWriter(out, columns);
}
