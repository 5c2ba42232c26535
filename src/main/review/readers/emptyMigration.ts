import type { Finding } from '../../../shared/domain/review';

/** An empty or comment-only migration file: worth a note, since it usually means a forgotten edit. */
export function emptyMigration(file: string, migrationId: string, part = 'file'): Finding {
  return {
    ruleId: 'empty-migration',
    severity: 'info',
    message: `${file}: the ${part} holds no SQL statement, only whitespace or comments`,
    location: { file, line: 1, column: 1 },
    migrationId,
  };
}
