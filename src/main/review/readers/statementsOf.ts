import { ApiError } from '../../../shared/api/errors';
import type { Dialect } from '../../../shared/domain/connection';
import type { Finding, MigrationStatement } from '../../../shared/domain/review';
import { splitStatements } from '../../../shared/sql/splitStatements';
import type { LineIndex } from './LineIndex';

export interface StatementsResult {
  statements: MigrationStatement[];
  problems: Finding[];
}

/**
 * Split `text.slice(start, end)` into statements, locating each in the whole file: line and column of its first
 * character, endLine/endColumn just past its last (exclusive, as Monaco ranges are). A part the splitter refuses
 * (a psql meta-command …) becomes a 'parse-error' problem at its position instead of a thrown error.
 */
export function statementsOf(
  file: string,
  text: string,
  lines: LineIndex,
  dialect: Dialect,
  start = 0,
  end = text.length,
): StatementsResult {
  const part = text.slice(start, end);
  try {
    const statements = splitStatements(part, dialect).map((span) => statementAt(file, lines, span.text, start + span.start, start + span.end));
    return { statements, problems: [] };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const position = (error.detail as { position?: { offset?: number } } | undefined)?.position;
    const at = lines.position(start + (position?.offset ?? 0));
    return {
      statements: [],
      problems: [{ ruleId: 'parse-error', severity: 'error', message: `${file}: ${error.message}`, location: { file, line: at.line, column: at.column } }],
    };
  }
}

/** One statement spanning [start, end) of the file text. */
export function statementAt(file: string, lines: LineIndex, sql: string, start: number, end: number): MigrationStatement {
  const from = lines.position(start);
  const to = lines.position(end);
  return { sql, location: { file, line: from.line, column: from.column, endLine: to.line, endColumn: to.column } };
}
