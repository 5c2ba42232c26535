import type { Dialect } from '../../../../shared/domain/connection';
import { splitStatements, statementAtOffset, type StatementSpan } from '../../../../shared/sql/splitStatements';

/**
 * The statement "run at cursor" and completion work on, split by the same lexer the server uses. Undefined when
 * the text cannot be split (a psql meta-command, a bad DELIMITER): running then sends the whole text, and the
 * server reports the problem at its position.
 */
export function statementAtCursor(text: string, offset: number, dialect: Dialect): StatementSpan | undefined {
  try {
    return statementAtOffset(splitStatements(text, dialect), offset);
  } catch {
    return undefined;
  }
}
