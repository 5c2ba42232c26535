import type { Dialect } from '../../shared/domain/connection';
import type { Migration, MigrationStatement, Severity } from '../../shared/domain/review';
import type { ParsedStatement } from './parse/ParsedStatement';

/** One statement of the migration under review, parsed. */
export interface ReviewedStatement {
  statement: MigrationStatement;
  /** Undefined when no parser could read it (the engine reports that itself). */
  parsed?: ParsedStatement;
}

export interface RuleContext {
  /** The statement being checked. */
  parsed: ParsedStatement;
  /** Its text and location. */
  statement: MigrationStatement;
  /** Index of this statement in `statements`. */
  index: number;
  /** Every statement of the migration's up part, in order, so a rule can look for a preceding SET lock_timeout. */
  statements: readonly ReviewedStatement[];
  migration: Migration;
  /** Whether the tool runs the migration in a transaction, or the file opens one itself before this statement. */
  inTransaction: boolean;
  dialect: Dialect;
  /** Target server major version (16, 8 …), when known. Rules that depend on it assume a server still supported upstream (PostgreSQL 13+, MySQL 8.0+) when unknown. */
  serverVersion?: number;
}

export interface RuleHit {
  message: string;
  /** 0-based offset into the statement text to point at; defaults to the statement's start. */
  offset?: number;
}

export interface Rule {
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
  docs: { problem: string; solution: string };
  /** Pure: no I/O, no clock. */
  check(ctx: RuleContext): RuleHit[];
}
