import { ApiError } from '../../../shared/api/errors';
import type { Dialect } from '../../../shared/domain/connection';
import type { DataCheck, Finding, ImpactReport, Migration, MigrationSet, MigrationStatement, StatementImpact } from '../../../shared/domain/review';
import type { SchemaModel, TableInfo } from '../../../shared/domain/SchemaModel';
import type { Driver } from '../../db/Driver';
import type { ParsedStatement } from '../parse/ParsedStatement';
import { StatementParser } from '../parse/StatementParser';
import { blastRadius, foreignKeyGraph, type ForeignKeyGraph } from './blastRadius';
import { BoundedRunner, type BoundedOutcome } from './BoundedRunner';
import { mysqlImpactFacts } from './facts/mysqlImpactFacts';
import { postgresImpactFacts } from './facts/postgresImpactFacts';
import { sqliteImpactFacts } from './facts/sqliteImpactFacts';
import type { ImpactFacts, LockEffect, SessionInfo, Work } from './ImpactFacts';
import type { ImpactFindingId } from './impactFindingDocs';
import { formatBytes } from '../../../shared/format/formatBytes';
import { formatCount, planDataChecks, type CheckFinding, type CheckTarget } from './planDataChecks';
import { statementDetails, type Reference, type StatementDetails } from './statementDetails';

const FACTS: Record<Dialect, ImpactFacts> = { postgres: postgresImpactFacts, mysql: mysqlImpactFacts, sqlite: sqliteImpactFacts };

/** Bytes per second the estimates assume, by kind of work. */
export interface Throughput {
  /** Reading every row (SET NOT NULL, validating a constraint). */
  scan: number;
  /** Writing the table anew (a type change, ALGORITHM=COPY). */
  rewrite: number;
  /** Sorting and writing an index. */
  indexBuild: number;
}

const MB = 1_000_000;
/** Cautious figures for a busy server on network storage; Quarry cannot measure the real disk from a read-only session. */
export const DEFAULT_THROUGHPUT: Throughput = { scan: 200 * MB, rewrite: 100 * MB, indexBuild: 30 * MB };

export interface ImpactOptions {
  dialect: Dialect;
  /** An open session to the database the migrations will run against; only read-only queries are sent on it. */
  driver: Driver;
  /** The connection's label for the report, never its password. */
  connectionLabel: string;
  /** Called as statements are analysed, once per up statement of the set. Defaults to none. */
  onProgress?: (done: number, total: number) => void;
  /** Milliseconds each catalog query and data check may run before the server stops it. Defaults to 5000. */
  checkTimeoutMs?: number;
  /** Tables of at most this many bytes get an exact count(*); larger ones keep the catalog's estimate. Defaults to 64 MiB. */
  countLimitBytes?: number;
  /** A lock that blocks writes, held longer than this many estimated seconds, becomes an 'impact-long-lock' warning. Defaults to 1. */
  longLockSeconds?: number;
  /** Throughput the duration estimates assume. Defaults to DEFAULT_THROUGHPUT (scan 200 MB/s, rewrite 100 MB/s, index build 30 MB/s). */
  throughput?: Partial<Throughput>;
}

/** Bytes per row assumed for a big table PostgreSQL has never analysed, to turn its size into a row estimate. */
const ASSUMED_ROW_BYTES = 100;

const HELP: Record<CheckFinding | 'impact-long-lock', string> = {
  'impact-data-loss': 'The statement destroys data that is on the server now.',
  'impact-statement-fails': 'The statement fails on the data that is on the server now.',
  'impact-long-lock': 'Run it when the table is quiet, or use the online form of the change (CREATE INDEX CONCURRENTLY, NOT VALID then VALIDATE, ALGORITHM=INPLACE/INSTANT, a batched backfill).',
};
const NOT_ANALYSED: ImpactFindingId = 'impact-not-analysed';

interface SizedTable {
  info: TableInfo;
  rows: number;
  bytes: number;
  rowsEstimated: boolean;
  rowsQuery: string;
}

/**
 * What each up statement of the set would do to the connected database, learnt by read-only queries only (issue 3
 * §5): the lock and what it blocks, the work on the table's data, an estimated duration with its assumption, the
 * tables reachable through foreign keys, and data checks (NULLs before NOT NULL, duplicates before UNIQUE, values
 * that do not fit a narrower type, rows a DROP loses). Every query is a SELECT bounded in time; nothing is written.
 *
 * A statement gets a StatementImpact when it names a table (or an index whose table is on the server): CREATE,
 * ALTER, DROP, RENAME and TRUNCATE TABLE, CREATE and DROP INDEX, DELETE, UPDATE, VACUUM and CLUSTER. SET,
 * transaction control, SELECT, INSERT (whose table the parser does not name), statements on other objects (views,
 * types, functions, schemas) and statements that do not parse (the rules report those) get none.
 */
export async function analyzeImpact(set: MigrationSet, options: ImpactOptions): Promise<ImpactReport> {
  const parser = await StatementParser.create([options.dialect]);
  try {
    return await new ImpactAnalysis(set, options, parser).run();
  } finally {
    parser.dispose();
  }
}

class ImpactAnalysis {
  private readonly facts: ImpactFacts;
  private readonly runner: BoundedRunner;
  private readonly countLimitBytes: number;
  private readonly longLockSeconds: number;
  private readonly throughput: Throughput;
  private model!: SchemaModel;
  private graph!: ForeignKeyGraph;
  private session!: SessionInfo;
  private readonly sizes = new Map<string, Promise<SizedTable>>();
  private readonly outcomes = new Map<string, Promise<BoundedOutcome>>();
  /** `schema.table.column` proven NOT NULL by a CHECK validated earlier in the set. */
  private readonly notNullProven = new Set<string>();
  /** CHECK (column IS NOT NULL) constraints added NOT VALID earlier in the set, by table and name, waiting for VALIDATE. */
  private readonly pendingNotNull = new Map<string, string>();
  /** Tables created earlier in the set (lower-case names): not on the server, empty when the statement runs. */
  private readonly created = new Set<string>();
  /** Tables renamed earlier in the set: the new name (lower-case) to the server's table; undefined once dropped. */
  private readonly renamed = new Map<string, TableInfo | undefined>();

  constructor(
    private readonly set: MigrationSet,
    private readonly options: ImpactOptions,
    private readonly parser: StatementParser,
  ) {
    this.facts = FACTS[options.dialect];
    if (!this.facts) throw new ApiError('BAD_INPUT', `Impact analysis does not know the dialect ${JSON.stringify(options.dialect)}.`);
    const timeout = options.checkTimeoutMs ?? 5_000;
    this.runner = new BoundedRunner(options.driver, this.facts, positive('checkTimeoutMs', timeout));
    this.countLimitBytes = atLeastZero('countLimitBytes', options.countLimitBytes ?? 64 * 1024 * 1024);
    this.longLockSeconds = atLeastZero('longLockSeconds', options.longLockSeconds ?? 1);
    this.throughput = { ...DEFAULT_THROUGHPUT, ...options.throughput };
    for (const [name, value] of Object.entries(this.throughput)) positive(`throughput.${name}`, value);
  }

  async run(): Promise<ImpactReport> {
    const { driver } = this.options;
    this.model = await driver.introspect();
    this.graph = foreignKeyGraph(this.model);
    this.session = await this.facts.describeSession(async (sql) => (await driver.query(sql)).rows);
    this.runner.session = this.session;
    const total = this.set.migrations.reduce((n, m) => n + m.up.length, 0);
    const statements: StatementImpact[] = [];
    const findings: Finding[] = [];
    let done = 0;
    this.options.onProgress?.(0, total);
    for (const migration of this.set.migrations) {
      for (const statement of migration.up) {
        const outcome = this.parser.parse(statement.sql, this.options.dialect);
        if (outcome.ok) {
          for (const parsed of outcome.statements) {
            let analysed;
            try {
              analysed = await this.analyse(parsed, statement, migration);
            } catch (error) {
              // A lost connection or a cancel ends the analysis; anything else costs this statement only, and says so.
              if (error instanceof ApiError && (error.code === 'CONNECTION_LOST' || error.code === 'CANCELLED')) throw error;
              findings.push({
                ruleId: NOT_ANALYSED,
                severity: 'info',
                message: `The impact of this statement could not be analysed: ${error instanceof Error ? error.message : String(error)}`,
                location: statement.location,
                migrationId: migration.id,
              });
              continue;
            }
            if (!analysed) continue;
            statements.push(analysed.impact);
            findings.push(...analysed.findings);
          }
        }
        this.options.onProgress?.(++done, total);
      }
    }
    return { connection: this.options.connectionLabel, serverVersion: driver.serverVersion, statements, findings };
  }

  private async analyse(parsed: ParsedStatement, statement: MigrationStatement, migration: Migration): Promise<{ impact: StatementImpact; findings: Finding[] } | undefined> {
    const details = statementDetails(parsed);
    let name = parsed.table;
    let server: TableInfo | undefined;
    if (!name && parsed.kind === 'drop-index' && parsed.objectName) {
      server = this.indexOwner(parsed.objectName, details.schema);
      name = server?.name;
    }
    if (!name) return undefined;
    const key = name.toLowerCase();
    const newTable = parsed.kind !== 'create-table' && this.created.has(key);
    if (!server && !newTable && parsed.kind !== 'create-table') server = this.tableNamed(name, details.schema);
    const labelOf = (table: string) => {
      const found = table === name ? server : this.tableNamed(table, details.schema);
      return found ? this.qualified(found) : details.schema ? `${details.schema}.${table}` : table;
    };
    const label = (parsed.kind === 'drop-table' || parsed.kind === 'truncate') && parsed.tables.length > 1 ? parsed.tables.map(labelOf).join(', ') : labelOf(name);

    const lock = this.facts.lockOf(parsed, details, {
      serverVersion: this.options.driver.serverVersion,
      tableLabel: label,
      newTable,
      currentColumn: (column) => server?.columns.find((c) => c.name === column) ?? server?.columns.find((c) => c.name.toLowerCase() === column.toLowerCase()),
      notNullProven: (column) => {
        if (!server) return false;
        const key = `${this.qualified(server)}.${column}`;
        return this.notNullProven.has(key) || (this.session.notNullChecks ?? []).includes(key);
      },
      referenceLabel: (r) => {
        const t = this.findReference(r);
        return t ? this.qualified(t) : r.schema ? `${r.schema}.${r.table}` : r.table;
      },
      session: this.session,
    });
    const work: Work = lock?.work ?? (parsed.kind === 'create-table' ? 'none' : 'unknown');
    const sized = server ? await this.size(server) : undefined;

    const references = [...details.references, ...details.commands.flatMap((c) => (c.reference ? [c.reference] : []))];
    const seeds = [
      ...(server ? [this.qualified(server)] : []),
      ...references.flatMap((r) => {
        const t = this.findReference(r);
        return t ? [this.qualified(t)] : [];
      }),
    ];
    const radius = blastRadius(this.graph, seeds, server ? this.qualified(server) : undefined);

    const impact: StatementImpact = {
      migrationId: migration.id,
      location: statement.location,
      work,
      blastRadius: radius,
      dataChecks: [],
    };
    if (sized) impact.table = { schema: sized.info.schema, name: sized.info.name, rows: sized.rows, bytes: sized.bytes, rowsEstimated: sized.rowsEstimated };
    if (lock) impact.lock = { mode: lock.mode, blocks: lock.blocks };
    const estimate = this.estimate(work, sized, newTable || parsed.kind === 'create-table');
    if (estimate) impact.estimate = estimate;

    const findings: Finding[] = [];
    const at = (ruleId: Finding['ruleId'], severity: Finding['severity'], message: string, help: string): Finding => ({
      ruleId,
      severity,
      message,
      location: statement.location,
      migrationId: migration.id,
      help,
    });
    // DROP TABLE a, b and TRUNCATE a, b lose the rows of every table they name, not only the first.
    const others = parsed.kind === 'drop-table' || parsed.kind === 'truncate' ? parsed.tables.slice(1).map((t) => this.tableNamed(t, details.schema)) : [];
    for (const table of [server, ...others]) {
      if (!table) continue;
      const target: CheckTarget = { ...(table === server ? sized! : await this.size(table)), resolve: (r) => this.findReference(r) };
      for (const plan of planDataChecks(parsed, details, target, this.facts)) {
        const check = await this.runCheck(plan);
        impact.dataChecks.push(check);
        if (check.atRisk) findings.push(at(plan.finding, 'error', `${capitalise(check.what)}: ${check.result}.`, `${HELP[plan.finding]} ${plan.help}`));
      }
    }
    if (lock && estimate && this.longLock(lock, estimate.seconds)) {
      findings.push(
        at('impact-long-lock', 'warning', `Holds ${lock.mode} for about ${formatSeconds(estimate.seconds)} (${estimate.assumption}); it blocks ${lock.blocks}.`, HELP['impact-long-lock']),
      );
    }

    this.track(parsed, key, server);
    if (server) this.trackNotNullChecks(parsed, details, this.qualified(server));
    return { impact, findings };
  }

  private longLock(lock: LockEffect, seconds: number): boolean {
    return lock.blocksWrites && seconds > this.longLockSeconds;
  }

  /** Keeps the set's own history: tables it creates, renames and drops, so later statements see them as they will be. */
  private track(parsed: ParsedStatement, key: string, server: TableInfo | undefined): void {
    if (parsed.kind === 'create-table') {
      this.created.add(key);
      return;
    }
    if (parsed.kind === 'drop-table') {
      for (const t of parsed.tables) {
        this.created.delete(t.toLowerCase());
        this.renamed.set(t.toLowerCase(), undefined);
      }
      return;
    }
    parsed.alterCommands.forEach((command, i) => {
      if (command.kind !== 'rename-table' || !command.newName) return;
      // MySQL's RENAME TABLE a TO b, c TO d renames one table per pair, in order (a swap through a third name works).
      const old = parsed.kind === 'rename-table' ? (parsed.tables[i] ?? parsed.table ?? key) : key;
      const oldKey = old.toLowerCase();
      const table = oldKey === key && i === 0 ? server : this.tableNamed(old);
      const next = command.newName.toLowerCase();
      if (this.created.delete(oldKey)) this.created.add(next);
      else this.renamed.set(next, table);
      this.renamed.set(oldKey, undefined);
    });
  }

  private trackNotNullChecks(parsed: ParsedStatement, details: StatementDetails, table: string): void {
    parsed.alterCommands.forEach((command, i) => {
      const column = details.commands[i]?.notNullCheckColumn;
      if (command.kind === 'add-constraint' && column) {
        if (!command.constraint?.notValid) this.notNullProven.add(`${table}.${column}`);
        else if (command.constraint.name) this.pendingNotNull.set(`${table}.${command.constraint.name}`, column);
      }
      // The normaliser keeps VALIDATE CONSTRAINT's constraint name in `column`.
      const pending = command.kind === 'validate-constraint' && command.column ? this.pendingNotNull.get(`${table}.${command.column}`) : undefined;
      if (pending) this.notNullProven.add(`${table}.${pending}`);
    });
  }

  private estimate(work: Work, sized: SizedTable | undefined, emptyTable: boolean): StatementImpact['estimate'] | undefined {
    if (emptyTable) return { seconds: 0, assumption: 'the table is new in this set, so it is empty' };
    if (!sized) return undefined;
    if (work === 'none' || work === 'catalog') return { seconds: 0, assumption: 'a catalog-only change: no row is read or written' };
    if (work === 'unknown') return undefined;
    const rate = work === 'scan' ? this.throughput.scan : work === 'rewrite' ? this.throughput.rewrite : this.throughput.indexBuild;
    const verb = work === 'scan' ? 'reading' : work === 'rewrite' ? 'rewriting' : 'building an index over';
    return {
      seconds: sized.bytes / rate,
      assumption: `${verb} ${formatBytes(sized.bytes)} (${sized.rowsEstimated ? 'about ' : ''}${formatCount(sized.rows)} rows) at ~${formatCount(Math.round(rate / MB))} MB/s, an assumed throughput: this server's disk and load are unknown to Quarry`,
    };
  }

  private async runCheck(plan: ReturnType<typeof planDataChecks>[number]): Promise<DataCheck> {
    if (!plan.sql) return { what: plan.what, query: '', atRisk: false, skipped: plan.skipped ?? 'not run' };
    if (plan.measured) return { what: plan.what, query: plan.sql, ...plan.interpret([]) };
    // Nothing changes on the server during the analysis, so a check two statements share runs once.
    let pending = this.outcomes.get(plan.sql);
    if (!pending) {
      pending = this.runner.run(plan.sql);
      this.outcomes.set(plan.sql, pending);
    }
    const outcome = await pending;
    if (!outcome.ok) return { what: plan.what, query: plan.sql, atRisk: false, skipped: outcome.timedOut ? this.runner.timeoutText : `the query failed: ${outcome.message}` };
    const { result, atRisk } = plan.interpret(outcome.rows[0] ?? []);
    return { what: plan.what, query: plan.sql, result, atRisk };
  }

  /** Size and rows of a table on the server: catalog figures, made exact by a bounded count when the table is small. */
  private size(info: TableInfo): Promise<SizedTable> {
    const key = this.qualified(info);
    let sized = this.sizes.get(key);
    if (!sized) {
      sized = this.measure(info);
      this.sizes.set(key, sized);
    }
    return sized;
  }

  private async measure(info: TableInfo): Promise<SizedTable> {
    const q = this.facts.quoteIdent;
    const catalog = await this.runner.run(this.facts.tableSizeSql, [info.schema, info.name]);
    const row = catalog.ok ? catalog.rows[0] : undefined;
    const bytes = numberOf(row?.[1]) ?? info.sizeBytes ?? 0;
    const estimate = numberOf(row?.[0]);
    if (bytes <= this.countLimitBytes) {
      const countSql = `select count(*) from ${q(info.schema)}.${q(info.name)}`;
      const counted = await this.runner.run(countSql);
      const n = counted.ok ? numberOf(counted.rows[0]?.[0]) : undefined;
      if (n !== undefined) return { info, rows: n, bytes, rowsEstimated: false, rowsQuery: countSql };
    }
    const rows = estimate !== undefined && estimate >= 0 ? Math.round(estimate) : (info.estimatedRows ?? Math.round(bytes / ASSUMED_ROW_BYTES));
    return { info, rows, bytes, rowsEstimated: true, rowsQuery: this.facts.tableSizeSql };
  }

  private qualified(t: { schema: string; name: string }): string {
    return `${t.schema}.${t.name}`;
  }

  private findTable(name: string, schema?: string): TableInfo | undefined {
    const schemas = schema ? [schema] : this.session.searchPath;
    for (const s of schemas) {
      const info = this.model.schemas.find((x) => x.name === s) ?? this.model.schemas.find((x) => x.name.toLowerCase() === s.toLowerCase());
      const table = info?.tables.find((t) => t.name === name) ?? info?.tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
      if (table) return table;
    }
    return undefined;
  }

  /** A table as the set leaves it at this point: undefined when created, renamed away or dropped earlier in the set. */
  private tableNamed(name: string, schema?: string): TableInfo | undefined {
    const key = name.toLowerCase();
    if (this.created.has(key)) return undefined;
    return this.renamed.has(key) ? this.renamed.get(key) : this.findTable(name, schema);
  }

  private findReference(r: Reference): TableInfo | undefined {
    return this.tableNamed(r.table, r.schema);
  }

  private indexOwner(index: string, schema?: string): TableInfo | undefined {
    const schemas = schema ? [schema] : this.session.searchPath;
    for (const s of this.model.schemas.filter((x) => schemas.includes(x.name))) {
      const table = s.tables.find((t) => t.indexes.some((i) => i.name === index));
      if (table) return table;
    }
    return undefined;
  }
}

function positive(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new ApiError('BAD_INPUT', `Impact analysis option ${name} must be a number above 0, got ${String(value)}.`);
  return value;
}

function atLeastZero(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ApiError('BAD_INPUT', `Impact analysis option ${name} must be a number of at least 0, got ${String(value)}.`);
  return value;
}

function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
