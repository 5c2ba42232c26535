import { statSync } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../shared/api/errors';
import type { Dialect } from '../../shared/domain/connection';
import type { SchemaModel } from '../../shared/domain/SchemaModel';
import type { Finding, ImpactReport, MigrationSet, ReversibilityResult, ReviewEvent, ReviewReport } from '../../shared/domain/review';
import type { Driver } from '../db/Driver';
import { loadReviewConfig } from './config/loadReviewConfig';
import { readMigrationSources } from './readers/readMigrations';
import { reviewMigrations } from './reviewMigrations';
import type { SandboxTarget } from './sandbox/openSandbox';
import type { Sandbox } from './sandbox/Sandbox';

export type ReviewPhase = Extract<ReviewEvent, { type: 'progress' }>['phase'];

/** The database a review looks at: impact analysis reads it, and the proof runs on it when it may. */
export interface ReviewConnection {
  /** Shown in the report; never holds a password. */
  label: string;
  dialect: Dialect;
  /** The session impact analysis sends its read-only queries on. The caller owns it (and disposes of it). */
  driver(): Promise<Driver>;
  /**
   * The database's schema, which the rules start from (the types and indexes of tables the migrations do not
   * create). Defaults to introspecting driver().
   */
  schema?(): Promise<SchemaModel>;
  /** Where the proof runs; called only when it does. */
  sandbox(): SandboxTarget;
  /**
   * Why the proof may not run on this connection (a saved connection that does not allow writes), said in the
   * report instead of proving. Defaults to none: it may.
   */
  proofRefused?: string;
}

export interface RunReviewOptions {
  /** A folder, a migration file or a .zip. */
  path: string;
  /** The report's root. Defaults to `path`. */
  rootName?: string;
  /** Defaults to .quarry.yml's dialect, then what the files say (Prisma's provider, Liquibase dbms), then the connection's. */
  dialect?: Dialect;
  /** Target server version ('16', '10.11'). Defaults to .quarry.yml's. */
  serverVersion?: string;
  /** Prove each up/down pair in a sandbox. Defaults to false. */
  prove?: boolean;
  /** Defaults to none: no impact, and the proof of PostgreSQL/MySQL migrations cannot run. */
  connection?: ReviewConnection;
  /**
   * When the proof cannot run (a server dialect with no connection, or one that refuses it): true throws
   * BAD_INPUT (the CLI's usage error); false says so in the report as a `proof-not-run` finding. Defaults to false.
   */
  strictProof?: boolean;
  /** The report's id. Defaults to ''. */
  reviewId?: string;
  /** Called as each phase moves on. Defaults to none. */
  onProgress?: (phase: ReviewPhase, done: number, total: number) => void;
  /**
   * Checked between phases and between migrations (of the rules, the proof and impact analysis); an aborted signal
   * ends the review with ApiError CANCELLED. A statement already running finishes first. Defaults to none.
   */
  signal?: AbortSignal;
}

export interface ReviewRun {
  report: ReviewReport;
  set: MigrationSet;
  /** Text of every file read, by its path relative to the root, for review.source and the report formats. */
  sources: Map<string, string>;
  /** The folder paths are relative to: the folder itself, or the folder holding the file or zip. */
  baseDir: string;
}

/** Ids of findings the review itself reports, beside the rules' and the readers'. */
export const RUN_FINDINGS = {
  proofNotRun: 'proof-not-run',
  impactFailed: 'impact-failed',
} as const;

/**
 * The one review pipeline, for the CLI and ReviewService alike: reads the input, loads `.quarry.yml`, decides the
 * dialect, runs the rules, proves reversibility when asked and analyses impact when a connection is given, and
 * returns every finding in one order.
 */
export async function runReview(options: RunReviewOptions): Promise<ReviewRun> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => undefined);
  const check = (): void => {
    if (options.signal?.aborted) throw new ApiError('CANCELLED', 'The review was cancelled.');
  };
  check();
  progress('reading', 0, 1);
  let isFolder: boolean;
  try {
    isFolder = statSync(options.path).isDirectory();
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new ApiError('IO_ERROR', `cannot open ${options.path}: ${e.code === 'ENOENT' ? 'no such file or folder' : e.message}`, { path: options.path });
  }
  const baseDir = path.resolve(isFolder ? options.path : path.dirname(options.path));
  const loaded = loadReviewConfig(baseDir);
  const chosen = options.dialect ?? loaded.config?.dialect;
  let { set, sources } = await readMigrationSources(options.path, chosen ? { dialect: chosen } : {});
  const dialect = chosen ?? set.dialectHint ?? options.connection?.dialect;
  if (!dialect) {
    throw new ApiError(
      'BAD_INPUT',
      'Which dialect do these migrations target? Nothing in the files says: choose PostgreSQL, MySQL or SQLite, or pick the connection they will run against (CLI: --dialect; or set dialect: in .quarry.yml).',
    );
  }
  // Statements were split for the hint or PostgreSQL; a dialect learnt from the connection needs its own split.
  if (dialect !== (chosen ?? set.dialectHint ?? 'postgres')) ({ set, sources } = await readMigrationSources(options.path, { dialect }));
  const connection = options.connection;
  if (connection && connection.dialect !== dialect) {
    throw new ApiError('BAD_INPUT', `These migrations are reviewed as ${dialect}, but the connection ${connection.label} is ${connection.dialect}: pick a ${dialect} connection, or review them as ${connection.dialect}.`);
  }
  // Not reaching the database is the caller's error (CONNECTION_FAILED), said before any work is done.
  const driver = connection ? await connection.driver() : undefined;
  const schema = connection && driver ? await (connection.schema?.() ?? driver.introspect()) : undefined;
  progress('reading', 1, 1);
  check();

  progress('parsing', 0, set.migrations.length);
  const findings: Finding[] = [
    ...loaded.problems,
    ...(await reviewMigrations(set, {
      dialect,
      serverVersion: options.serverVersion,
      config: loaded.config,
      sources,
      ...(schema ? { schema } : {}),
      onProgress: (done, total) => {
        check();
        progress('parsing', done, total);
      },
    })),
  ];
  check();

  let proof: ReversibilityResult[] | undefined;
  if (options.prove) {
    // Loaded when needed: the database clients are most of the CLI's start-up otherwise.
    const [{ NEEDS_SERVER_MESSAGE, proofNeedsServer, openSandbox }, { proveReversibility }] = await Promise.all([import('./sandbox/openSandbox'), import('./sandbox/proveReversibility')]);
    progress('proving', 0, set.migrations.length);
    const refused = !connection && proofNeedsServer(dialect) ? NEEDS_SERVER_MESSAGE(dialect) : connection?.proofRefused;
    if (refused) {
      if (options.strictProof) throw new ApiError('BAD_INPUT', refused);
      proof = set.migrations.map((m) => ({ migrationId: m.id, status: 'skipped', error: { message: refused } }));
      findings.push({ ruleId: RUN_FINDINGS.proofNotRun, severity: 'warning', message: `Reversibility was not proved: ${refused}`, location: { file: '', line: 1, column: 1 } });
    } else {
      const sandbox = await openSandbox(dialect, connection?.sandbox());
      try {
        const proved = await proveReversibility(set, stoppable(sandbox, check));
        findings.push(...proved.findings);
        proof = proved.results;
      } catch (error) {
        check();
        throw error;
      } finally {
        await sandbox.dispose();
      }
    }
    progress('proving', set.migrations.length, set.migrations.length);
    check();
  }

  let impact: ImpactReport | undefined;
  if (connection && driver) {
    const total = set.migrations.reduce((n, m) => n + m.up.length, 0);
    progress('impact', 0, total);
    try {
      const { analyzeImpact } = await import('./impact/analyzeImpact');
      impact = await analyzeImpact(set, {
        dialect,
        driver,
        connectionLabel: connection.label,
        onProgress: (done, all) => {
          check();
          progress('impact', done, all);
        },
      });
      findings.push(...impact.findings);
    } catch (error) {
      // A failing analysis is only a finding: the rules and the proof still stand.
      if (error instanceof ApiError && error.code === 'CANCELLED') throw error;
      findings.push({
        ruleId: RUN_FINDINGS.impactFailed,
        severity: 'warning',
        message: `Impact on ${connection.label} could not be analysed: ${error instanceof Error ? error.message : String(error)}`,
        location: { file: '', line: 1, column: 1 },
      });
    }
    progress('impact', total, total);
    check();
  }

  const relative = (file: string): string => {
    if (!path.isAbsolute(file)) return file;
    const inside = path.relative(baseDir, file);
    return inside.startsWith('..') || path.isAbsolute(inside) ? file : inside.split(path.sep).join('/');
  };
  for (const f of findings) f.location = { ...f.location, file: relative(f.location.file) };
  findings.sort(byLocation);
  const files = new Set(sources.keys());
  for (const problem of set.problems) if (problem.location.file) files.add(problem.location.file);
  const report: ReviewReport = {
    reviewId: options.reviewId ?? '',
    root: options.rootName ?? set.root,
    format: set.format,
    dialect,
    files: [...files].sort(compare),
    migrations: set.migrations,
    findings,
    ...(proof ? { proof } : {}),
    ...(impact ? { impact } : {}),
    durationMs: Math.round(performance.now() - started),
  };
  return { report, set, sources, baseDir };
}

/**
 * The sandbox, stopping the proof at the next migration once `check` throws: each migration starts with a mark
 * (or a snapshot), outside the statement handling that would record the throw as the migration's failure.
 */
function stoppable(sandbox: Sandbox, check: () => void): Sandbox {
  return {
    dialect: sandbox.dialect,
    adapt: (sql) => sandbox.adapt(sql),
    unprovable: (error) => sandbox.unprovable(error),
    execute: (sql) => sandbox.execute(sql),
    snapshot: async () => {
      check();
      return sandbox.snapshot();
    },
    mark: async (name) => {
      check();
      await sandbox.mark(name);
    },
    rollbackTo: (name) => sandbox.rollbackTo(name),
    release: (name) => sandbox.release(name),
    dispose: () => sandbox.dispose(),
  };
}

/** reviewMigrations' order: file, line, column, rule id. */
function byLocation(a: Finding, b: Finding): number {
  return compare(a.location.file, b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column || compare(a.ruleId, b.ruleId);
}

/** Code-unit order, so the sort does not depend on the machine's locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
