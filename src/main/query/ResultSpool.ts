import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { CellValue, ColumnMeta } from '../../shared/domain/query';
import { buildSortInWorker, type SortTask } from './buildSortInWorker';

export interface SpoolSort {
  column: number;
  direction: 'asc' | 'desc';
}

export interface SpoolPage {
  rows: CellValue[][];
  /** [row in page, column] of each string cut to the page text limit; the whole value comes from `rowAt`. */
  truncated: [number, number][];
}

/** Page cache of the spool, KiB: enough for paging, small enough to keep memory flat. */
const CACHE_KIB = 16_000;
/** Page cache while building a sort: lets SQLite's sorter stay in memory (about 1.7× faster on 1M text keys). */
const SORT_CACHE_KIB = 64_000;
/** Sorts kept at once; each is an attached file, and SQLite attaches at most 10. */
const MAX_SORTS = 8;

interface SpooledResult {
  table: string;
  columns: ColumnMeta[];
  count: number;
  insert: Database.Statement;
}

interface BuiltSort {
  /** The table of rowids in sorted order, as a page query names it. */
  table: Promise<string>;
  /** Attached schema holding it, when it was built on the worker. */
  schema?: string;
  file?: string;
  task?: SortTask;
}

export interface ResultSpoolOptions {
  /** Strings longer than this many characters are cut in pages (not in rowAt or chunks). Defaults to 10,000. */
  pageTextLimit?: number;
}

/**
 * The rows of one query's result sets, on disk: a throwaway SQLite file with one table per result set and one
 * JSON array per row. Rowids are 1…n in arrival order, so a page is a rowid range, not an OFFSET scan, and memory
 * stays flat however many rows arrive. Sorting builds a table of rowids in sorted order once the result is complete.
 */
export class ResultSpool {
  private readonly db: Database.Database;
  private readonly results = new Map<number, SpooledResult>();
  private readonly pageTextLimit: number;
  /** Sorts of complete results, keyed 'result:column:direction', oldest first. */
  private readonly sorts = new Map<string, BuiltSort>();
  private sortCounter = 0;
  private disposed = false;

  constructor(
    readonly path: string,
    options: ResultSpoolOptions = {},
  ) {
    this.pageTextLimit = options.pageTextLimit ?? 10_000;
    this.db = new Database(path);
    // The spool is rebuilt from the server if lost, so durability buys nothing here. WAL lets the sort worker
    // read while this connection keeps appending other result sets.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('temp_store = FILE');
    this.db.pragma(`cache_size = -${CACHE_KIB}`);
  }

  /** Start result set `index`. */
  create(index: number, columns: ColumnMeta[]): void {
    this.assertOpen();
    const table = `r${index}`;
    this.db.exec(`DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (row TEXT NOT NULL)`);
    const insert = this.db.prepare(`INSERT INTO ${table} (row) VALUES (?)`);
    this.results.set(index, { table, columns, count: 0, insert });
  }

  has(index: number): boolean {
    return this.results.has(index);
  }

  count(index: number): number {
    return this.result(index).count;
  }

  /** Append a batch in one transaction. */
  append(index: number, rows: readonly CellValue[][]): void {
    this.assertOpen();
    const r = this.result(index);
    if (rows.length === 0) return;
    const insert = r.insert;
    this.db.exec('BEGIN');
    try {
      for (const row of rows) insert.run(JSON.stringify(row));
      this.db.exec('COMMIT');
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
    r.count += rows.length;
  }

  /**
   * Rows [offset, offset + limit) in arrival order or sorted. `complete` says the result will not grow, so a sort
   * may be built once and kept; while rows still arrive, a sort is computed per call over what is spooled.
   */
  async page(index: number, offset: number, limit: number, sort: SpoolSort | undefined, complete: boolean): Promise<SpoolPage> {
    const texts = await this.rowTexts(index, offset, limit, sort, complete);
    const truncated: [number, number][] = [];
    const max = this.pageTextLimit;
    const rows = texts.map((t, i) => {
      const row = JSON.parse(t) as CellValue[];
      for (let c = 0; c < row.length; c++) {
        const v = row[c];
        if (typeof v === 'string' && v.length > max) {
          row[c] = v.slice(0, max);
          truncated.push([i, c]);
        }
      }
      return row;
    });
    return { rows, truncated };
  }

  /** One whole row, at its position in arrival order or in the given sort. */
  async rowAt(index: number, row: number, sort: SpoolSort | undefined, complete: boolean): Promise<CellValue[] | undefined> {
    const [text] = await this.rowTexts(index, row, 1, sort, complete);
    return text === undefined ? undefined : (JSON.parse(text) as CellValue[]);
  }

  /** All rows in arrival order, `size` at a time, reading rowid ranges so the spool may keep growing meanwhile. */
  *chunks(index: number, size = 5000): Generator<CellValue[][]> {
    const r = this.result(index);
    const stmt = this.db.prepare(`SELECT row FROM ${r.table} WHERE rowid > ? ORDER BY rowid LIMIT ?`).pluck();
    for (let after = 0; ; after += size) {
      this.assertOpen();
      const texts = stmt.all(after, size) as string[];
      if (texts.length === 0) return;
      yield texts.map((t) => JSON.parse(t) as CellValue[]);
      if (texts.length < size) return;
    }
  }

  /** Close and delete the file; idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.results.clear();
    const files = [this.path, `${this.path}-wal`, `${this.path}-shm`];
    const workers: Promise<void>[] = [];
    for (const sort of this.sorts.values()) {
      if (sort.file) files.push(sort.file);
      if (sort.task) workers.push(sort.task.terminate().catch(() => undefined));
    }
    this.sorts.clear();
    const remove = (): void => {
      for (const f of files) rmSync(f, { force: true });
    };
    try {
      this.db.close();
    } finally {
      remove();
      // A worker still sorting may recreate nothing, but it holds its file open until it stops.
      if (workers.length > 0) void Promise.all(workers).then(remove);
    }
  }

  private async rowTexts(index: number, offset: number, limit: number, sort: SpoolSort | undefined, complete: boolean): Promise<string[]> {
    this.assertOpen();
    const r = this.result(index);
    if (!sort) {
      return this.db.prepare(`SELECT row FROM ${r.table} WHERE rowid > ? ORDER BY rowid LIMIT ?`).pluck().all(offset, limit) as string[];
    }
    if (sort.column >= r.columns.length) {
      throw new RangeError(`sort column ${sort.column} is out of range: the result has ${r.columns.length} columns`);
    }
    if (!complete) {
      // Rows still arrive, so any sorted copy would be stale at once; sort what is spooled now.
      return this.db
        .prepare(`SELECT row FROM ${r.table} ORDER BY ${orderBy(r.columns[sort.column]!, sort)} LIMIT ? OFFSET ?`)
        .pluck()
        .all(limit, offset) as string[];
    }
    const sortTable = await this.sortTable(index, r, sort);
    this.assertOpen();
    return this.db
      .prepare(`SELECT r.row FROM ${sortTable} s JOIN main.${r.table} r ON r.rowid = s.src WHERE s.rowid > ? ORDER BY s.rowid LIMIT ?`)
      .pluck()
      .all(offset, limit) as string[];
  }

  /** The rowids of a complete result in sorted order, built once on a worker thread and kept (at most MAX_SORTS). */
  private sortTable(index: number, r: SpooledResult, sort: SpoolSort): Promise<string> {
    const key = `${index}:${sort.column}:${sort.direction}`;
    const existing = this.sorts.get(key);
    if (existing) {
      // Most recently used goes last, so eviction takes the oldest.
      this.sorts.delete(key);
      this.sorts.set(key, existing);
      return existing.table;
    }
    this.evictSorts();
    const n = ++this.sortCounter;
    const schema = `s${n}`;
    const file = `${this.path}.sort${n}`;
    const order = orderBy(r.columns[sort.column]!, sort);
    const built: BuiltSort = { table: Promise.resolve(''), schema, file };
    let task: SortTask | undefined;
    try {
      task = buildSortInWorker({
        spoolPath: this.path,
        sortPath: file,
        sql: `CREATE TABLE t (src INTEGER NOT NULL); INSERT INTO t (src) SELECT rowid FROM spool.${r.table} ORDER BY ${order}`,
        cacheKiB: SORT_CACHE_KIB,
      });
    } catch {
      task = undefined;
    }
    built.task = task;
    built.table = (async () => {
      try {
        if (!task) throw new Error('no worker');
        await task.done;
        this.assertOpen();
        this.db.prepare('ATTACH DATABASE ? AS ' + schema).run(file);
        return `${schema}.t`;
      } catch (e) {
        if (this.disposed) throw e;
        // Without a worker (or if it failed), sort here: slower for the app, but the grid still sorts.
        rmSync(file, { force: true });
        delete built.schema;
        delete built.file;
        return this.sortHere(r, sort, order, n);
      } finally {
        delete built.task;
      }
    })();
    this.sorts.set(key, built);
    // A failed sort is not kept, so the next request tries again.
    built.table.catch(() => this.sorts.get(key) === built && this.sorts.delete(key));
    return built.table;
  }

  private sortHere(r: SpooledResult, sort: SpoolSort, order: string, n: number): string {
    const table = `${r.table}_s${n}`;
    this.db.pragma(`cache_size = -${SORT_CACHE_KIB}`);
    try {
      this.db.exec(
        `DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (src INTEGER NOT NULL);` +
          `INSERT INTO ${table} (src) SELECT rowid FROM ${r.table} ORDER BY ${order}`,
      );
    } finally {
      this.db.pragma(`cache_size = -${CACHE_KIB}`);
    }
    return `main.${table}`;
  }

  private evictSorts(): void {
    while (this.sorts.size >= MAX_SORTS) {
      const [key, oldest] = this.sorts.entries().next().value as [string, BuiltSort];
      this.sorts.delete(key);
      void oldest.table.then(
        (table) => {
          if (this.disposed) return;
          if (oldest.schema) {
            this.db.exec(`DETACH DATABASE ${oldest.schema}`);
            if (oldest.file) rmSync(oldest.file, { force: true });
          } else {
            this.db.exec(`DROP TABLE IF EXISTS ${table}`);
          }
        },
        () => undefined,
      );
    }
  }

  private result(index: number): SpooledResult {
    const r = this.results.get(index);
    if (!r) throw new RangeError(`result ${index} does not exist`);
    return r;
  }

  private assertOpen(): void {
    if (this.disposed) throw new Error('the result spool was closed');
  }
}

/**
 * A type-aware ORDER BY for one column: numbers the server sent as text (int8, numeric) compare as numbers, with
 * their text as tie-breaker so values beyond a double's precision still order; binary by its hex; NULLs sort as
 * the largest value (last ascending, first descending, as in PostgreSQL); ties keep arrival order.
 */
function orderBy(column: ColumnMeta, sort: SpoolSort): string {
  const dir = sort.direction === 'desc' ? 'DESC' : 'ASC';
  const nulls = sort.direction === 'desc' ? 'NULLS FIRST' : 'NULLS LAST';
  const value = `json_extract(row, '$[${sort.column}]')`;
  switch (column.kind) {
    case 'number':
      return (
        `CAST(${value} AS REAL) ${dir} ${nulls}, ` +
        `CASE WHEN ${value} < 0 OR ${value} LIKE '-%' THEN -length(${value}) ELSE length(${value}) END ${dir}, ${value} ${dir}, rowid`
      );
    case 'binary':
      return `json_extract(row, '$[${sort.column}].hexPreview') ${dir} ${nulls}, rowid`;
    default:
      return `${value} ${dir} ${nulls}, rowid`;
  }
}
