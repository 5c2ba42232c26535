import type { z } from 'zod';
import type { Dialect } from '../../shared/domain/connection';
import type { Migration, MigrationStatement, Severity } from '../../shared/domain/review';
import type { ParsedStatement } from './parse/ParsedStatement';
import type { SchemaView } from './SchemaTracker';

/** One statement of the migration under review, parsed. */
export interface ReviewedStatement {
  statement: MigrationStatement;
  /** Undefined when no parser could read it (the engine reports that itself). */
  parsed?: ParsedStatement;
}

/** The target server's version, read from '16', '15.4', '8.0.36' or '10.11.6-MariaDB'. */
export interface ServerVersion {
  major: number;
  /** 0 when not written. */
  minor: number;
  /** 0 when not written. */
  patch: number;
  /** MariaDB rather than MySQL: said by the text ('-MariaDB') or implied by a MySQL-family major of 10 or more. */
  mariadb: boolean;
}

export interface RuleContext<Options = undefined> {
  /** The statement being checked. */
  parsed: ParsedStatement;
  /** Its text and location. */
  statement: MigrationStatement;
  /** Index of this statement in `statements`. */
  index: number;
  /** Every statement of the migration's up part, in order, so a rule can look for a preceding SET lock_timeout. */
  statements: readonly ReviewedStatement[];
  migration: Migration;
  /**
   * Whether a transaction is open when this statement starts: the tool's own (the engine alone knows each tool's
   * habit) or one the file opened with BEGIN. Rules read this instead of re-deriving it.
   */
  inTransaction: boolean;
  /**
   * Who opened the transaction this statement runs in: the tool ('tool'), PostgreSQL's implicit block around a
   * multi-statement query string ('implicit': golang-migrate, Prisma), or a BEGIN in the file ('begin'). Undefined
   * when none is open. For a BEGIN or COMMIT, the state before it runs.
   */
  transaction?: 'tool' | 'implicit' | 'begin';
  dialect: Dialect;
  /** Target server major version (16, 8 …), when known. Rules that depend on it assume a server still supported upstream (PostgreSQL 13+, MySQL 8.0+) when unknown. */
  serverVersion?: number;
  /** The full target version, when known; for facts that changed in a minor release (MySQL 8.0.29's instant ADD COLUMN anywhere). */
  version?: ServerVersion;
  /**
   * The schema as the earlier migrations of the set (and the earlier statements of this one) leave it, seeded from
   * the live database when a connection was given. It answers "unknown" rather than guess.
   */
  schema: SchemaView;
  /** The rule's options from `.quarry.yml`, validated by its `options` schema (its defaults when none are written). */
  options: Options;
}

export interface RuleHit {
  message: string;
  /** 0-based offset into the statement text to point at; defaults to the statement's start. */
  offset?: number;
}

export interface Rule<Options = undefined> {
  /** Kebab-case, stable: it is what users write in `-- quarry-ignore` and `.quarry.yml`. */
  id: string;
  dialects: readonly Dialect[];
  /**
   * The first server major version the rule applies to, per dialect (a check about a feature the server gained).
   * Defaults to every version; when the target version is unknown the rule runs.
   */
  minServerVersion?: Partial<Record<Dialect, number>>;
  /** Default severity; `.quarry.yml` may change it. */
  severity: Severity;
  /**
   * Opt-in: the rule runs only when `.quarry.yml` names it (with a level other than off, or with options). For
   * conventions that are a team's choice rather than a hazard. Defaults to false (the rule runs unless turned off).
   */
  defaultOff?: boolean;
  /**
   * Validates and transforms the rule's options as written in `.quarry.yml` (the mapping under the rule's id, less
   * `level`). Parsed from `{}` when the file says nothing, so the schema supplies the defaults. Defaults to none:
   * the rule takes no options and any written are a config error.
   */
  options?: z.ZodType<Options>;
  docs: { problem: string; solution: string };
  /** Pure: no I/O, no clock. */
  check(ctx: RuleContext<Options>): RuleHit[];
}

/** A rule of any options type, as the registry and the engine hold them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = Rule<any>;
