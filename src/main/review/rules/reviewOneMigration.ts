import type { Dialect } from '../../../shared/domain/connection';
import type { Finding, Migration } from '../../../shared/domain/review';
import { splitStatements } from '../../../shared/sql/splitStatements';
import { offsetToPosition } from '../../../shared/sql/offsetToPosition';
import { reviewMigrations } from '../reviewMigrations';
import type { AnyRule } from '../Rule';

/** The statements of `sql` as a reader would give them, located in `file`. */
export function locatedStatements(sql: string, dialect: Dialect, file: string): Migration['up'] {
  return splitStatements(sql, dialect).map((span) => ({ sql: span.text, location: { file, ...offsetToPosition(sql, span.start) } }));
}

/** Reviews one whole migration (with its down part, change types …) with only `rule`, for rules that judge the migration rather than a statement. */
export async function reviewOneMigration(rule: AnyRule, migration: Migration, dialect: Dialect = 'postgres'): Promise<Finding[]> {
  const findings = await reviewMigrations({ root: '.', format: migration.format, migrations: [migration], problems: [] }, { dialect, rules: [rule] });
  return findings.filter((f) => f.ruleId === rule.id);
}
