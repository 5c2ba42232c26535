import { ApiError } from '../../../shared/api/errors';
import type { CellValue } from '../../../shared/domain/query';
import type { Driver } from '../../db/Driver';
import { DriverError } from '../../db/DriverError';
import type { ImpactFacts, SessionInfo } from './ImpactFacts';

export type BoundedOutcome = { ok: true; rows: CellValue[][] } | { ok: false; timedOut: boolean; message: string };

/** Time the driver's own cancel waits beyond the server-side bound, for servers that stop late or not at all (SQLite). */
const CANCEL_GRACE_MS = 1_000;

/**
 * Runs read-only SELECTs bounded in time: by the server (PostgreSQL statement and lock timeouts in a READ ONLY
 * transaction, MySQL/MariaDB per-statement limits), and as a last resort by the driver's cancel. A query that hits
 * the bound, or fails, comes back as an outcome to report, never as an exception; a dropped connection does throw.
 */
export class BoundedRunner {
  constructor(
    private readonly driver: Driver,
    private readonly facts: ImpactFacts,
    /** Milliseconds each query may run. */
    readonly timeoutMs: number,
  ) {}

  /** What describeSession found; until it is set, the session is taken to be outside any transaction. */
  session: SessionInfo = { searchPath: [] };

  async run(sql: string, params: readonly unknown[] = []): Promise<BoundedOutcome> {
    const bounded = this.facts.bound(sql, this.timeoutMs, this.driver.serverVersion, this.session);
    let cancelled = false;
    const timer = setTimeout(() => {
      cancelled = true;
      this.driver.cancel().catch(() => undefined);
    }, this.timeoutMs + CANCEL_GRACE_MS);
    try {
      for (const s of bounded.before) await this.driver.query(s);
      const result = await this.driver.query(bounded.sql, params);
      return { ok: true, rows: result.rows };
    } catch (error) {
      if (error instanceof ApiError && error.code === 'CONNECTION_LOST') throw error;
      const serverCode = error instanceof DriverError ? String(error.serverCode ?? '') : '';
      const timedOut = cancelled || (error instanceof ApiError && error.code === 'TIMEOUT') || this.facts.timeoutServerCodes.includes(serverCode);
      return { ok: false, timedOut, message: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
      for (const s of bounded.after) await this.driver.query(s).catch(() => undefined);
    }
  }

  /** "took longer than 5 s", for DataCheck.skipped. */
  get timeoutText(): string {
    const seconds = this.timeoutMs / 1000;
    return `took longer than ${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
  }
}
