import type { Dialect } from '../../../shared/domain/connection';
import type { Finding, MigrationFormat, MigrationSet } from '../../../shared/domain/review';
import { offsetToPosition } from '../../../shared/sql/offsetToPosition';
import { splitStatements } from '../../../shared/sql/splitStatements';
import { reviewMigrations, type ReviewOptions } from '../reviewMigrations';

export interface ReviewSqlOptions extends Omit<ReviewOptions, 'dialect' | 'sources'> {
  dialect: Dialect;
  /** Defaults to 'migration.sql'. */
  file?: string;
  /** Defaults to 'sql' (a plain script, not run in a transaction). */
  format?: MigrationFormat;
  /** Defaults to the format's habit. */
  transactional?: boolean;
}

/** Reviews one SQL script as a single migration: for the editor, the model's SQL, and rule tests. */
export async function reviewSql(sql: string, options: ReviewSqlOptions): Promise<Finding[]> {
  const file = options.file ?? 'migration.sql';
  const format = options.format ?? 'sql';
  const up = splitStatements(sql, options.dialect).map((span) => {
    const { line, column } = offsetToPosition(sql, span.start);
    return { sql: span.text, location: { file, line, column } };
  });
  const set: MigrationSet = {
    root: file,
    format,
    migrations: [{ id: file, description: file, format, file, up, transactional: options.transactional }],
    problems: [],
  };
  return reviewMigrations(set, { ...options, sources: new Map([[file, sql]]) });
}
