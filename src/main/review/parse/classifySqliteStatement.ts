import { lexicalFacts } from '../../../shared/dialect/lexicalFacts';
import { SqlLexer } from '../../../shared/sql/SqlLexer';
import { emptyStatement, type ParsedStatement } from './ParsedStatement';

/** Statements with nothing for the rules to check beyond their kind. */
const PLAIN: Readonly<Record<string, ParsedStatement['kind']>> = {
  BEGIN: 'begin',
  COMMIT: 'commit',
  END: 'commit',
  ROLLBACK: 'rollback',
  PRAGMA: 'other',
  VACUUM: 'other',
  REINDEX: 'other',
  ANALYZE: 'other',
  SAVEPOINT: 'other',
  RELEASE: 'other',
  ATTACH: 'other',
  DETACH: 'other',
};

/**
 * Reads the kind of a statement SQLite has already accepted but node-sql-parser cannot (BEGIN, PRAGMA, DROP INDEX
 * …) from its leading keywords. SQLite vouches for the syntax, so the words are enough. Undefined when the
 * statement is none of the shapes known here.
 */
export function classifySqliteStatement(sql: string): ParsedStatement | undefined {
  const lexer = new SqlLexer(sql, lexicalFacts.sqlite);
  const words: { upper: string; text: string }[] = [];
  for (let t = lexer.next(); t && words.length < 8; t = lexer.next()) {
    if (t.kind === 'space' || t.kind === 'comment') continue;
    const text = sql.slice(t.start, t.end);
    words.push({ upper: t.upper ?? text, text: t.kind === 'quotedIdentifier' ? text.slice(1, -1) : text });
  }
  const [first, second] = words;
  if (!first) return undefined;
  // ROLLBACK [TRANSACTION] TO [SAVEPOINT] x undoes part of the transaction and leaves it open.
  if (first.upper === 'ROLLBACK' && words.slice(1, 3).some((w) => w.upper === 'TO')) return emptyStatement('other', 'sqlite-keywords', undefined);
  const plain = PLAIN[first.upper];
  if (plain) return emptyStatement(plain, 'sqlite-keywords', undefined);
  if (first.upper === 'DROP' && (second?.upper === 'TRIGGER' || second?.upper === 'VIEW')) return emptyStatement('other', 'sqlite-keywords', undefined);
  if (first.upper === 'DROP' && second?.upper === 'INDEX') {
    const s = emptyStatement('drop-index', 'sqlite-keywords', undefined);
    s.ifExists = words[2]?.upper === 'IF' && words[3]?.upper === 'EXISTS';
    const rest = words.slice(s.ifExists ? 4 : 2);
    // schema.name: the name is the last word before anything else.
    s.objectName = rest[1]?.text === '.' ? rest[2]?.text : rest[0]?.text;
    return s;
  }
  return undefined;
}
