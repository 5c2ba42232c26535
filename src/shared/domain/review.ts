import type { Dialect } from './connection';

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
