import { lexicalFacts } from '../../../shared/dialect/lexicalFacts';
import { SqlLexer } from '../../../shared/sql/SqlLexer';
import { emptyStatement, type AlterCommand, type ParsedStatement } from './ParsedStatement';


interface Word {
  kind: 'word' | 'name' | 'literal' | 'punct';
  /** Upper-cased for words, unquoted for names, as written otherwise. */
  text: string;
  /** As written (unquoted for names). */
  raw: string;
}

/** The tokens of `sql` without spaces and comments; undefined when anything is unterminated or not plain SQL. */
function wordsOf(sql: string): Word[] | undefined {
  const lexer = new SqlLexer(sql, lexicalFacts.mysql);
  const words: Word[] = [];
  for (let t = lexer.next(); t; t = lexer.next()) {
    if (t.kind === 'space' || t.kind === 'comment') continue;
    if (t.unterminated) return undefined;
    const text = sql.slice(t.start, t.end);
    if (t.kind === 'word') words.push({ kind: 'word', text: t.upper ?? text.toUpperCase(), raw: text });
    else if (t.kind === 'quotedIdentifier') words.push({ kind: 'name', text: text.slice(1, -1), raw: text.slice(1, -1) });
    else if (t.kind === 'number' || t.kind === 'string') words.push({ kind: 'literal', text, raw: text });
    // The lexer calls a sign 'other'.
    else if (t.kind === 'punct' || t.kind === 'delimiter' || (t.kind === 'other' && (text === '-' || text === '+'))) words.push({ kind: 'punct', text, raw: text });
    else return undefined;
  }
  return words;
}

const LITERAL_WORDS = new Set(['NULL', 'TRUE', 'FALSE']);

/**
 * Reads the few well-formed ALTER TABLE forms node-sql-parser (MySQL and MariaDB modes) cannot: `ALTER [COLUMN] c
 * SET DEFAULT <literal>` / `DROP DEFAULT` and `CONVERT TO CHARACTER SET x [COLLATE y]`, alone or with ALGORITHM /
 * LOCK clauses. Every token must fit that grammar, so anything else (an expression default, another action, a
 * typo) stays unparsed rather than half-read. Undefined when the statement is not exactly one of these.
 */
export function classifyMysqlAlterStatement(sql: string): ParsedStatement | undefined {
  // Nothing to read (unterminated, or not plain SQL) fails at the first keyword.
  const words = wordsOf(sql) ?? [];
  let i = 0;
  const peek = (): Word | undefined => words[i];
  const keyword = (...options: string[]): string | undefined => {
    const w = words[i];
    if (w?.kind !== 'word' || !options.includes(w.text)) return undefined;
    i++;
    return w.text;
  };
  const punct = (p: string): boolean => (words[i]?.kind === 'punct' && words[i]?.text === p ? (i++, true) : false);
  const name = (): string | undefined => {
    const w = words[i];
    if (w?.kind !== 'name' && w?.kind !== 'word') return undefined;
    i++;
    return w.raw;
  };
  if (!keyword('ALTER')) return undefined;
  keyword('ONLINE');
  keyword('IGNORE');
  if (!keyword('TABLE')) return undefined;
  let table = name();
  if (punct('.')) table = name();
  if (!table) return undefined;
  const commands: AlterCommand[] = [];
  do {
    const command = action();
    if (!command) return undefined;
    commands.push(command);
  } while (punct(','));
  punct(';');
  if (i !== words.length || !commands.some((c) => c.kind !== 'algorithm' && c.kind !== 'lock')) return undefined;

  function action(): AlterCommand | undefined {
    if (keyword('ALGORITHM', 'LOCK')) {
      const kind = words[i - 1]!.text === 'ALGORITHM' ? 'algorithm' : 'lock';
      punct('=');
      const value = keyword('DEFAULT', 'INSTANT', 'NOCOPY', 'INPLACE', 'COPY', 'NONE', 'SHARED', 'EXCLUSIVE');
      return value ? { kind, value } : undefined;
    }
    if (keyword('CONVERT')) {
      if (!keyword('TO') || !(keyword('CHARSET') || (keyword('CHARACTER') && keyword('SET')))) return undefined;
      const charset = name();
      if (!charset) return undefined;
      if (keyword('COLLATE') && !name()) return undefined;
      return { kind: 'other', value: `CONVERT TO CHARACTER SET ${charset.toUpperCase()}` };
    }
    if (!keyword('ALTER')) return undefined;
    // COLUMN is optional, and a column may itself be called `column`.
    const next = words[i + 1];
    if (peek()?.text === 'COLUMN' && !(next?.kind === 'word' && (next.text === 'SET' || next.text === 'DROP'))) i++;
    const column = name();
    if (!column) return undefined;
    if (keyword('DROP')) return keyword('DEFAULT') ? { kind: 'drop-default', column } : undefined;
    if (!keyword('SET') || !keyword('DEFAULT')) return undefined;
    if (!punct('-')) punct('+');
    const value = peek();
    if (!value || !(value.kind === 'literal' || (value.kind === 'word' && LITERAL_WORDS.has(value.text)))) return undefined;
    i++;
    return { kind: 'set-default', column };
  }

  return { ...emptyStatement('alter-table', 'node-sql-parser', undefined), parser: 'mysql-keywords', table, tables: [table], alterCommands: commands };
}
