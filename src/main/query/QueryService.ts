import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { MethodParsedInput, ResultPage } from '../../shared/api/contract';
import { ApiError, type ErrorCode } from '../../shared/api/errors';
import type {
  CellValue,
  HistoryEntry,
  QueryError,
  QueryEvent,
  ResultSetSummary,
  StatementClassification,
} from '../../shared/domain/query';
import type { Driver } from '../db/Driver';
import { DriverError } from '../db/DriverError';
import { classifyStatements } from '../sql/classifyStatements';
import { offsetToPosition } from '../../shared/sql/offsetToPosition';
import { createRowWriter } from './createRowWriter';
import { ResultSpool, type SpoolSort } from './ResultSpool';

export interface QueryServiceDeps {
  getDriver(connectionId: string): Promise<Driver>;
  recordHistory(entry: Omit<HistoryEntry, 'id'>): void;
  emit(queryId: string, event: QueryEvent): void;
  spoolDir: string;
}

interface RunState {
  id: string;
  connectionId: string;
  sql: string;
  baseOffset: number;
  driver: Driver;
  spool: ResultSpool;
  results: ResultSetSummary[];
  running: boolean;
  cancelled: boolean;
  /** Settles (never rejects) when the run has finished, however it ended. */
  finished: Promise<void>;
}

/**
 * Most rows a result may have for sorting while its query still runs: each sorted page is then sorted afresh on
 * the main thread (rows keep arriving, so nothing can be kept), which stays well under 100 ms up to here.
 */
const MAX_ROWS_SORTED_WHILE_RUNNING = 50_000;
/** Milliseconds between progress events of one result set. */
const PROGRESS_INTERVAL_MS = 100;
const SPOOL_PREFIX = 'spool-';
/**
 * How long close() and dispose() wait for a cancelled run to stop before deleting its spool anyway, so a driver
 * that never returns cannot hang app shutdown (the run then ends as cancelled when it next touches the spool).
 */
const CLOSE_WAIT_MS = 5_000;

/**
 * Runs SQL scripts statement by statement, streaming each result set into an on-disk spool the grid pages through,
 * and exports spooled results.
 *
 * - One run per connection at a time: a second `run` on a busy connection is refused (QUERY_FAILED, detail
 *   `{ runningQueryId }`) rather than queued, so a double click never runs a script twice behind the user's back.
 * - Events per run: `started`, then for each statement `resultSet` → `progress`* → `resultDone` (every
 *   `resultSet` gets its `resultDone`, also after an error or a cancel), at most one `error` (the run stops at the
 *   first failing statement), and finally `done`. A cancelled run emits no `error`, only `done { cancelled: true }`.
 *   Result index = statement index; a statement that fails or is cancelled before its columns are known has no
 *   result (so `results()` then ends before it), one that fails midway keeps the rows spooled so far.
 * - Error positions: `line`/`column` are 1-based in the submitted `sql`; `offset` is `baseOffset` plus the 0-based
 *   offset in `sql`, i.e. an offset into the editor text the `sql` was cut from.
 * - Sorting a complete result builds a sorted copy on a worker thread once per column and direction; while the
 *   query runs, results of up to 50,000 rows sort per page and bigger ones are refused (BAD_INPUT) until done.
 * - Results live until `close(queryId)` or `dispose()`.
 */
export class QueryService {
  private readonly runs = new Map<string, RunState>();
  private readonly busy = new Map<string, string>();
  private disposed = false;

  constructor(private readonly deps: QueryServiceDeps) {
    mkdirSync(deps.spoolDir, { recursive: true });
    removeOrphanSpools(deps.spoolDir);
  }

  async classify(connectionId: string, sql: string): Promise<StatementClassification[]> {
    const driver = await this.deps.getDriver(connectionId);
    return classifyStatements(sql, driver.dialect);
  }

  async run(input: MethodParsedInput<'query.run'>): Promise<{ queryId: string }> {
    if (this.disposed) throw new ApiError('INTERNAL', 'The query service is shut down');
    const driver = await this.deps.getDriver(input.connectionId);
    const statements = classifyStatements(input.sql, driver.dialect);
    if (statements.length === 0) throw new ApiError('BAD_INPUT', 'There is no SQL statement to run: the text is empty or only comments');
    const destructive = statements.filter((s) => s.risk === 'destructive');
    if (destructive.length > 0 && input.confirmDestructive !== true) {
      const list = destructive.map((s) => s.reason ?? 'destructive').join('; ');
      throw new ApiError('CONFIRM_REQUIRED', `Confirm before running: ${list}`, { statements: destructive });
    }
    const running = this.busy.get(input.connectionId);
    if (running !== undefined) {
      throw new ApiError(
        'QUERY_FAILED',
        'This connection is still running another query; cancel it or wait for it to finish',
        { runningQueryId: running },
      );
    }

    const id = randomUUID();
    const spoolPath = join(this.deps.spoolDir, `${SPOOL_PREFIX}${process.pid}-${id}.sqlite`);
    let spool: ResultSpool;
    try {
      spool = new ResultSpool(spoolPath);
    } catch (e) {
      throw new ApiError('IO_ERROR', `Cannot create the result spool ${spoolPath}: ${(e as Error).message}`);
    }
    let finish!: () => void;
    const state: RunState = {
      id,
      connectionId: input.connectionId,
      sql: input.sql,
      baseOffset: input.baseOffset ?? 0,
      driver,
      spool,
      results: [],
      running: true,
      cancelled: false,
      finished: new Promise<void>((resolve) => (finish = resolve)),
    };
    this.runs.set(id, state);
    this.busy.set(input.connectionId, id);
    void this.execute(state, statements).finally(() => {
      state.running = false;
      if (this.busy.get(state.connectionId) === id) this.busy.delete(state.connectionId);
      finish();
    });
    return { queryId: id };
  }

  async cancel(queryId: string): Promise<void> {
    const state = this.state(queryId);
    if (!state.running) return;
    state.cancelled = true;
    await state.driver.cancel();
  }

  results(queryId: string): ResultSetSummary[] {
    return this.state(queryId).results.map((r) => ({ ...r, columns: [...r.columns] }));
  }

  async page(input: MethodParsedInput<'query.page'>): Promise<ResultPage> {
    const state = this.state(input.queryId);
    const summary = this.summary(state, input.resultIndex);
    const sort = this.checkSort(summary, input.sort);
    if (!state.spool.has(input.resultIndex)) return { offset: input.offset, rows: [], total: 0, done: summary.done };
    const { page, total } = await this.readSpool(state, async () => {
      const page = await state.spool.page(input.resultIndex, input.offset, input.limit, sort, summary.done);
      return { page, total: state.spool.count(input.resultIndex) };
    });
    const result: ResultPage = { offset: input.offset, rows: page.rows, total, done: summary.done };
    if (page.truncated.length > 0) result.truncated = page.truncated;
    return result;
  }

  async cell(input: MethodParsedInput<'query.cell'>): Promise<{ value: CellValue; text: string }> {
    const state = this.state(input.queryId);
    const summary = this.summary(state, input.resultIndex);
    const sort = this.checkSort(summary, input.sort);
    if (input.column >= summary.columns.length) {
      throw new ApiError('BAD_INPUT', `Column ${input.column} does not exist: result ${input.resultIndex} has ${summary.columns.length} columns`);
    }
    const row = state.spool.has(input.resultIndex)
      ? await this.readSpool(state, () => state.spool.rowAt(input.resultIndex, input.row, sort, summary.done))
      : undefined;
    if (!row) throw new ApiError('NOT_FOUND', `Row ${input.row} does not exist: result ${input.resultIndex} has ${summary.rowCount} rows`);
    const value = row[input.column] ?? null;
    return { value, text: cellText(value, summary.columns[input.column]!.kind) };
  }

  async exportToFile(input: MethodParsedInput<'query.export'>): Promise<{ path: string; rows: number; bytes: number }> {
    const state = this.state(input.queryId);
    this.summary(state, input.resultIndex);
    const out = createWriteStream(input.path);
    try {
      await once(out, 'open');
      const written = await this.exportToStream(input.queryId, input.resultIndex, input.format, out);
      out.end();
      await once(out, 'finish');
      return { path: input.path, ...written };
    } catch (e) {
      out.destroy();
      if (e instanceof ApiError) throw e;
      throw new ApiError('IO_ERROR', `Cannot write ${input.path}: ${(e as Error).message}`);
    }
  }

  /** Writes the whole result (waiting for the run to finish first) to `out`, which is left open. */
  async exportToStream(
    queryId: string,
    resultIndex: number,
    format: 'csv' | 'json',
    out: NodeJS.WritableStream,
  ): Promise<{ rows: number; bytes: number }> {
    const state = this.state(queryId);
    this.summary(state, resultIndex);
    await state.finished;
    const summary = this.summary(state, resultIndex);
    const writer = createRowWriter(format, out, summary.columns);
    if (state.spool.has(resultIndex)) {
      for (const rows of state.spool.chunks(resultIndex)) await writer.writeRows(rows);
    }
    return writer.end();
  }

  /** Cancel the run if it is still going and delete its spool; closing an unknown or closed query does nothing. */
  async close(queryId: string): Promise<void> {
    const state = this.runs.get(queryId);
    if (!state) return;
    if (state.running) {
      state.cancelled = true;
      await state.driver.cancel().catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([state.finished, new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]);
      clearTimeout(timer);
    }
    this.runs.delete(queryId);
    state.spool.dispose();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([...this.runs.keys()].map((id) => this.close(id)));
  }

  /** A listener that throws must not break the run that is reporting to it. */
  private emit(queryId: string, event: QueryEvent): void {
    try {
      this.deps.emit(queryId, event);
    } catch {
      // The event is lost for that listener; the run and the spool stay consistent.
    }
  }

  private async execute(state: RunState, statements: StatementClassification[]): Promise<void> {
    const { deps } = this;
    const startedAt = new Date();
    const t0 = performance.now();
    let rowCount = 0;
    let errorText: string | undefined;
    this.emit(state.id, { type: 'started', statements: statements.length });

    for (let index = 0; index < statements.length && !state.cancelled; index++) {
      const stmt = statements[index]!;
      const summary: ResultSetSummary = { index, statement: stmt.text, columns: [], rowCount: 0, done: false };
      state.results.push(summary);
      let announced = false;
      let lastProgress = 0;
      const announce = (): void => {
        if (announced) return;
        announced = true;
        this.emit(state.id, { type: 'resultSet', result: { ...summary } });
      };
      const s0 = performance.now();
      try {
        const outcome = await state.driver.stream(stmt.text, {
          onColumns: (columns) => {
            summary.columns = columns;
            state.spool.create(index, columns);
            announce();
          },
          onRows: (rows) => {
            if (!state.spool.has(index)) state.spool.create(index, summary.columns);
            state.spool.append(index, rows);
            summary.rowCount += rows.length;
            const now = performance.now();
            if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
              lastProgress = now;
              this.emit(state.id, { type: 'progress', index, rowCount: summary.rowCount });
            }
          },
        });
        if (outcome.affectedRows !== undefined) summary.affectedRows = outcome.affectedRows;
        rowCount += outcome.hasResultSet ? summary.rowCount : (outcome.affectedRows ?? 0);
      } catch (e) {
        rowCount += summary.rowCount;
        // A statement that failed before its columns were known produced no result: it is dropped rather than
        // shown as an empty grid (the error event names it by statementIndex).
        if (!announced) state.results.pop();
        else this.finishResult(state, summary, s0, announce);
        if (state.cancelled || (e instanceof ApiError && e.code === 'CANCELLED')) {
          state.cancelled = true;
        } else {
          const error = this.queryError(state, stmt, index, e);
          errorText = error.message;
          this.emit(state.id, { type: 'error', error });
        }
        break;
      }
      this.finishResult(state, summary, s0, announce);
    }

    const durationMs = Math.round(performance.now() - t0);
    if (state.cancelled && errorText === undefined) errorText = 'Cancelled';
    this.emit(state.id, { type: 'done', durationMs, cancelled: state.cancelled });
    try {
      const entry: Parameters<QueryServiceDeps['recordHistory']>[0] = {
        connectionId: state.connectionId,
        sql: state.sql,
        startedAt: startedAt.toISOString(),
        durationMs,
        rowCount,
      };
      if (errorText !== undefined) entry.error = errorText;
      deps.recordHistory(entry);
    } catch {
      // History is a convenience; failing to record it must not turn a finished query into a failure.
    }
  }

  private finishResult(state: RunState, summary: ResultSetSummary, s0: number, announce: () => void): void {
    if (summary.done) return;
    announce();
    summary.done = true;
    summary.durationMs = Math.round(performance.now() - s0);
    this.emit(state.id, { type: 'resultDone', result: { ...summary } });
  }

  private queryError(state: RunState, stmt: StatementClassification, index: number, e: unknown): QueryError {
    const code: ErrorCode = e instanceof ApiError ? e.code : 'INTERNAL';
    const message = e instanceof Error ? e.message : String(e);
    const inStatement = e instanceof DriverError && typeof e.offset === 'number' ? Math.min(Math.max(0, e.offset), stmt.text.length) : 0;
    const at = stmt.start + inStatement;
    const pos = offsetToPosition(state.sql, at);
    const error: QueryError = {
      code,
      message,
      statementIndex: index,
      position: { line: pos.line, column: pos.column, offset: state.baseOffset + pos.offset },
    };
    if (e instanceof ApiError && e.detail !== undefined) {
      error.detail = typeof e.detail === 'string' ? e.detail : JSON.stringify(e.detail);
    }
    return error;
  }

  /** Spool reads as API errors: NOT_FOUND when the query was closed meanwhile, IO_ERROR for a failing spool. */
  private async readSpool<T>(state: RunState, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (e) {
      if (e instanceof ApiError) throw e;
      if (this.runs.get(state.id) !== state) {
        throw new ApiError('NOT_FOUND', `Query ${state.id} was closed while its result was being read`);
      }
      throw new ApiError('IO_ERROR', `Cannot read the spooled result: ${(e as Error).message}`);
    }
  }

  private state(queryId: string): RunState {
    const state = this.runs.get(queryId);
    if (!state) throw new ApiError('NOT_FOUND', `Query ${queryId} does not exist: it was closed or never ran`);
    return state;
  }

  private summary(state: RunState, index: number): ResultSetSummary {
    const summary = state.results[index];
    if (!summary) {
      throw new ApiError('NOT_FOUND', `Result ${index} does not exist: the query has ${state.results.length} result sets so far`);
    }
    return summary;
  }

  private checkSort(summary: ResultSetSummary, sort: SpoolSort | undefined): SpoolSort | undefined {
    if (!sort) return undefined;
    if (sort.column >= summary.columns.length) {
      throw new ApiError('BAD_INPUT', `Cannot sort by column ${sort.column}: result ${summary.index} has ${summary.columns.length} columns`);
    }
    if (!summary.done && summary.rowCount > MAX_ROWS_SORTED_WHILE_RUNNING) {
      throw new ApiError(
        'BAD_INPUT',
        `Sorting ${summary.rowCount.toLocaleString('en-US')} rows is possible once the query has finished; it is still running`,
      );
    }
    return sort;
  }
}

/** The text a long-value viewer shows: JSON pretty-printed, binary as hex, NULL as ''. */
function cellText(value: CellValue, kind: string): string {
  if (value === null) return '';
  if (typeof value === 'object') return `\\x${value.hexPreview}`;
  if (typeof value === 'string' && kind === 'json') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return String(value);
}

/** Delete spools left by Quarry processes that died without closing them; live processes' spools are kept. */
function removeOrphanSpools(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    // The spool, its -wal and -shm, and its sort files all start with spool-<pid>-.
    const m = /^spool-(\d+)-/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || isAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
