import type { CellValue, ColumnMeta } from '../../shared/domain/query';
import { writeChunk } from './writeChunk';

/**
 * Object keys for the columns: the column names, with ' (2)', ' (3)' … appended to repeats so that
 * `SELECT 1 AS a, 2 AS a` keeps both values.
 */
export function uniqueKeys(columns: readonly ColumnMeta[]): string[] {
  const seen = new Set<string>();
  return columns.map((c) => {
    let key = c.name;
    for (let n = 2; seen.has(key); n++) key = `${c.name} (${n})`;
    seen.add(key);
    return key;
  });
}

/**
 * One JSON value. Exact numbers the server sent as text (int8, numeric) stay strings; JSON columns are embedded
 * as JSON when their text parses; binary is a `\x…` hex string; non-finite floats become strings.
 */
export function jsonValue(value: CellValue, column: ColumnMeta | undefined): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      if (column?.kind === 'json') {
        try {
          return JSON.stringify(JSON.parse(value));
        } catch {
          return JSON.stringify(value);
        }
      }
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return JSON.stringify(`\\x${value.hexPreview}`);
  }
}

/**
 * Streams rows as a JSON array of objects keyed by column name, one object per line, never building the whole
 * document. Awaits 'drain'. Does not end `out`: the caller owns it.
 */
export class JsonWriter {
  private readonly prefixes: string[];
  private started = false;
  rows = 0;
  bytes = 0;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly columns: readonly ColumnMeta[],
  ) {
    this.prefixes = uniqueKeys(columns).map((k, i) => (i === 0 ? '{' : ',') + JSON.stringify(k) + ':');
  }

  async writeRows(rows: readonly CellValue[][]): Promise<void> {
    if (rows.length === 0) return;
    let chunk = '';
    const { prefixes, columns } = this;
    for (const row of rows) {
      chunk += this.started ? ',\n' : '[\n';
      this.started = true;
      let obj = '';
      for (let i = 0; i < prefixes.length; i++) obj += prefixes[i]! + jsonValue(row[i] ?? null, columns[i]);
      chunk += prefixes.length === 0 ? '{}' : obj + '}';
    }
    this.rows += rows.length;
    await this.flush(chunk);
  }

  async end(): Promise<{ rows: number; bytes: number }> {
    await this.flush(this.started ? '\n]\n' : '[]\n');
    return { rows: this.rows, bytes: this.bytes };
  }

  private async flush(chunk: string): Promise<void> {
    const buf = Buffer.from(chunk, 'utf8');
    this.bytes += buf.length;
    await writeChunk(this.out, buf);
  }
}

/** Write every batch as a JSON array; returns the rows and bytes written. */
export async function writeJson(
  out: NodeJS.WritableStream,
  columns: readonly ColumnMeta[],
  batches: Iterable<readonly CellValue[][]> | AsyncIterable<readonly CellValue[][]>,
): Promise<{ rows: number; bytes: number }> {
  const writer = new JsonWriter(out, columns);
  for await (const batch of batches) await writer.writeRows(batch);
  return writer.end();
}
