import type { Dialect } from './connection';

/**
 * What one upload to review.start may hold (the browser door's drop): decoded bytes, well under the WebSocket's
 * 64 MiB message limit once base64 adds its third, and files.
 */
export const reviewUploadLimits = { bytes: 32 * 1024 * 1024, files: 20_000 } as const;

/** Migration folder layouts Quarry reads. */
export const migrationFormats = ['sql', 'flyway', 'golang-migrate', 'dbmate', 'goose', 'liquibase', 'prisma'] as const;
export type MigrationFormat = (typeof migrationFormats)[number];

export type Severity = 'error' | 'warning' | 'info';

/** Where a statement or finding is: a file relative to the reviewed root, 1-based line and column. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** Liquibase changeset as `author:id`. */
  changeset?: string;
}

export interface MigrationStatement {
  /** One statement, as the dialect's client would send it. */
  sql: string;
  location: SourceLocation;
  /** A Liquibase change type this statement was generated from (createTable, addColumn …). */
  changeType?: string;
}

/** One migration: a versioned file, an up/down pair, or a Liquibase changeset. */
export interface Migration {
  /** Stable id within the set: the version, the file name, or `author:id`. */
  id: string;
  /** Version as the tool orders it (Flyway 1.2.3, golang-migrate 20240101120000), when it has one. */
  version?: string;
  description: string;
  format: MigrationFormat;
  /** File holding the up part, relative to the root. */
  file: string;
  up: MigrationStatement[];
  /** The down, undo or rollback part; undefined when the migration has none. */
  down?: MigrationStatement[];
  /** Flyway repeatable (R__) migrations run after versioned ones whenever they change. */
  repeatable?: boolean;
  /** False when the tool runs it outside a transaction (goose NO TRANSACTION, Liquibase runInTransaction=false). */
  transactional?: boolean;
  /** Liquibase: the change types of the changeset, and whether Liquibase can roll each back by itself. */
  changeTypes?: { type: string; autoRollback: boolean }[];
}

/** What a reader found in a folder, file or zip. */
export interface MigrationSet {
  /** The path that was opened. */
  root: string;
  format: MigrationFormat;
  /** The dialect the content suggests, when it says (Prisma's provider, Liquibase dbms …). */
  dialectHint?: Dialect;
  migrations: Migration[];
  /** Problems reading the input (malformed XML, a binary file, an include loop …), each with its location. */
  problems: Finding[];
}

export interface Finding {
  /** Kebab-case rule id, or a reader problem id such as 'read-error'. */
  ruleId: string;
  severity: Severity;
  message: string;
  location: SourceLocation;
  /** The id of the migration the finding belongs to. */
  migrationId?: string;
  /** How to do it safely. */
  help?: string;
}

export type SchemaObjectKind =
  | 'schema'
  | 'table'
  | 'column'
  | 'primary-key'
  | 'unique-constraint'
  | 'foreign-key'
  | 'check'
  | 'index'
  | 'trigger'
  | 'view'
  | 'routine'
  | 'sequence'
  | 'enum';

/** One way two schemas differ, readable on its own: "column public.users.email: nullable changed from false to true". */
export interface SchemaDifference {
  change: 'added' | 'removed' | 'changed';
  object: SchemaObjectKind;
  /** Qualified name: schema.table, schema.table.column, schema.table.index … (unnamed constraints by their columns). */
  path: string;
  /** The property that changed (dataType, nullable, default, definition …), for 'changed'. */
  property?: string;
  /** The value in the first schema, as text, for 'changed'. */
  before?: string;
  /** The value in the second schema, as text, for 'changed'. */
  after?: string;
  message: string;
}

/** 'not-provable': a statement failed only because of the sandbox (see Sandbox.unprovable), not because of the migration. */
export type ReversibilityStatus = 'reversible' | 'not-reversible' | 'no-down' | 'up-failed' | 'down-failed' | 'not-provable' | 'skipped';

export interface StatementError {
  /** The server's message. */
  message: string;
  location: SourceLocation;
  sql: string;
}

export interface ReversibilityResult {
  migrationId: string;
  status: ReversibilityStatus;
  /** For 'not-reversible': how the schema after up then down differs from the one before up. */
  differences?: SchemaDifference[];
  /** For 'up-failed', 'down-failed' and 'not-provable': the part whose statement failed. */
  failedIn?: 'up' | 'down';
  /** For 'up-failed', 'down-failed' and 'not-provable': the statement that failed; for 'skipped': why. */
  error?: StatementError | { message: string };
  /** Statements the sandbox ran changed or skipped, and why (CONCURRENTLY removed, BEGIN/COMMIT skipped …). */
  notes?: string[];
}


/** A data-loss check run against the live data for one statement (issue 3 §5), e.g. the NULL count before SET NOT NULL. */
export interface DataCheck {
  /** What was checked, in words: "NULLs in orders.shipped_at". */
  what: string;
  /** The read-only query that was run. */
  query: string;
  /** What it found, in words: "1,204 rows are NULL", "max(id) is 3,000,000,000; int holds up to 2,147,483,647". */
  result?: string;
  /** True when the statement would fail or lose data given what was found. */
  atRisk: boolean;
  /** Set when the check did not run to the end (it timed out, the table is missing …), and why. */
  skipped?: string;
}

/** What one statement would do to the connected database, learnt by read-only queries only. */
export interface StatementImpact {
  migrationId: string;
  location: SourceLocation;
  /** The table it acts on as found on the server; undefined when the statement names none or the table does not exist yet. */
  table?: { schema?: string; name: string; rows: number; bytes: number; rowsEstimated: boolean };
  /** The lock it takes and what that lock blocks: { mode: 'ACCESS EXCLUSIVE', blocks: 'all reads and writes of orders' }. */
  lock?: { mode: string; blocks: string };
  /** What it does to the table's data: nothing, a catalog-only change, a full scan, a full rewrite, an index build. */
  work: 'none' | 'catalog' | 'scan' | 'rewrite' | 'index-build' | 'unknown';
  /** Estimated duration, and the assumption it rests on ("at 50 MB/s sequential I/O"). */
  estimate?: { seconds: number; assumption: string };
  /** Tables reachable from the statement's table through foreign keys, in either direction, qualified. */
  blastRadius: string[];
  dataChecks: DataCheck[];
}

export interface ImpactReport {
  /** The connection's label, never its password. */
  connection: string;
  serverVersion: string;
  statements: StatementImpact[];
  /** Impact turned into findings (a data check at risk, a long rewrite under an exclusive lock …). */
  findings: Finding[];
}

/** A rule as the Reviewer shows it on hover. */
export interface RuleDoc {
  id: string;
  dialects: Dialect[];
  severity: Severity;
  docs: { problem: string; solution: string };
  /** Opt-in: it runs only when .quarry.yml names it. */
  defaultOff?: boolean;
}

/** Everything one review found, as the Reviewer screen shows it. */
export interface ReviewReport {
  reviewId: string;
  /** What was reviewed: the path, or the dropped folder or file's name. */
  root: string;
  format: MigrationFormat;
  dialect: Dialect;
  /** Every file the readers opened, relative to the root, for the folder tree. */
  files: string[];
  migrations: Migration[];
  /** Reader problems, rule findings, and proof and impact findings, sorted by file, line and column. */
  findings: Finding[];
  /** Set when reversibility was proven. */
  proof?: ReversibilityResult[];
  /** Set when a connection was given. */
  impact?: ImpactReport;
  durationMs: number;
}

/** Events of the 'review' stream, under the reviewId that review.start returned. */
export type ReviewEvent =
  | { type: 'progress'; phase: 'reading' | 'parsing' | 'proving' | 'impact'; done: number; total: number }
  | { type: 'done'; report: ReviewReport }
  | { type: 'error'; code: string; message: string };
