import { ApiError } from '../api/errors';
import type { Dialect } from '../domain/connection';
import { lexicalFacts } from '../dialect/lexicalFacts';
import { SqlLexer, type Token } from './SqlLexer';
import { offsetToPosition } from './offsetToPosition';

export interface StatementSpan {
  /** The statement as sent to the server: from its first token to its last, without the terminator. */
  text: string;
  /** Character offsets into the input, end exclusive. */
  start: number;
  end: number;
}

/** Words that, once a compound body has ended (END IF, END LOOP …), belong to that END and open nothing. */
const END_SUFFIX_REOPENS = new Set(['IF', 'LOOP', 'WHILE', 'REPEAT', 'FOR']);
/** A CREATE of one of these is not a compound-body object even if a later word names one. */
const NON_COMPOUND_OBJECTS = new Set(['TABLE', 'VIEW', 'INDEX', 'SCHEMA', 'DATABASE', 'SEQUENCE', 'TYPE', 'DOMAIN', 'USER', 'ROLE']);

/**
 * Split a script into statements the way the dialect's own client would: terminators inside literals, quoted
 * identifiers, comments, dollar quotes and CREATE TRIGGER … BEGIN … END bodies do not split; MySQL's
 * DELIMITER command changes the terminator. Empty and comment-only statements are dropped.
 * Throws ApiError SYNTAX_ERROR (detail.position) for client meta-commands such as psql's `\d`.
 */
export function splitStatements(sql: string, dialect: Dialect): StatementSpan[] {
  const facts = lexicalFacts[dialect];
  const lexer = new SqlLexer(sql, facts);
  const spans: StatementSpan[] = [];

  let first = -1;
  let last = -1;
  let words: string[] = [];
  let compound = false;
  let depth = 0;
  let afterEnd = false;
  let lineStart = true;

  const flush = (): void => {
    if (first >= 0) spans.push({ text: sql.slice(first, last), start: first, end: last });
    first = -1;
    last = -1;
    words = [];
    compound = false;
    depth = 0;
    afterEnd = false;
  };

  for (let tok = lexer.next(); tok; tok = lexer.next()) {
    if (tok.kind === 'space') {
      if (sql.indexOf('\n', tok.start) >= 0 && sql.indexOf('\n', tok.start) < tok.end) lineStart = true;
      continue;
    }
    const wasLineStart = lineStart;
    lineStart = false;
    if (tok.kind === 'comment' && !isExecutableCommentPart(sql, tok)) continue;
    if (tok.kind === 'delimiter') {
      if (depth <= 0 || lexer.delimiter !== ';') flush();
      else last = tok.end;
      continue;
    }

    // A backslash outside literals is never SQL in these dialects, only a client command (psql's `\gx` too).
    if (tok.kind === 'other' && sql.charCodeAt(tok.start) === 92 && facts.metaCommandPrefixes.includes('\\')) {
      throw metaCommandError(sql, tok.start, facts.metaCommandClient);
    }
    if (first < 0) {
      if (wasLineStart) {
        for (const prefix of facts.metaCommandPrefixes) {
          if (sql.startsWith(prefix, tok.start)) throw metaCommandError(sql, tok.start, facts.metaCommandClient);
        }
      }
      if (facts.delimiterCommand && tok.kind === 'word' && tok.upper === 'DELIMITER') {
        lexer.seek(readDelimiterCommand(sql, tok, lexer));
        lineStart = true;
        continue;
      }
      first = tok.start;
    }
    last = tok.end;

    if (tok.kind !== 'word') {
      afterEnd = false;
      continue;
    }
    const word = tok.upper!;
    if (words.length < 12) {
      words.push(word);
      if (!compound && words[0] === 'CREATE' && facts.compoundBodyObjects.includes(word)) {
        compound = !words.some((w) => NON_COMPOUND_OBJECTS.has(w));
      }
    }
    if (!compound) continue;
    if (afterEnd) {
      afterEnd = false;
      if (END_SUFFIX_REOPENS.has(word)) {
        depth++;
        continue;
      }
      if (word === 'CASE') continue;
    }
    if (word === 'BEGIN' || word === 'CASE') depth++;
    else if (word === 'END') {
      depth--;
      afterEnd = true;
    }
  }
  flush();
  return spans;
}

/**
 * The statement to run for a cursor at `offset`: the one containing it (ends inclusive, so a cursor just after
 * the last character counts), else the nearest one before it (cursor in the whitespace or comment after a
 * statement), else the first one (cursor before every statement). Undefined when there are no statements.
 */
export function statementAtOffset<S extends { start: number; end: number }>(spans: readonly S[], offset: number): S | undefined {
  let before: S | undefined;
  for (const span of spans) {
    if (offset >= span.start && offset <= span.end) return span;
    if (span.end <= offset) before = span;
    else break;
  }
  return before ?? spans[0];
}

function isExecutableCommentPart(sql: string, tok: Token): boolean {
  return sql.startsWith('/*!', tok.start) || (tok.end - tok.start === 2 && sql.startsWith('*/', tok.start));
}

function readDelimiterCommand(sql: string, tok: Token, lexer: SqlLexer): number {
  let eol = sql.indexOf('\n', tok.end);
  if (eol < 0) eol = sql.length;
  const arg = sql.slice(tok.end, eol).trim().split(/\s+/)[0] ?? '';
  if (arg === '' || !/^\s/.test(sql.slice(tok.end, tok.end + 1))) {
    throw new ApiError('SYNTAX_ERROR', `DELIMITER at ${where(sql, tok.start)} needs a terminator, e.g. DELIMITER $$`, {
      position: offsetToPosition(sql, tok.start),
    });
  }
  if (arg.includes('\\')) {
    throw new ApiError('SYNTAX_ERROR', `DELIMITER at ${where(sql, tok.start)} may not contain a backslash`, {
      position: offsetToPosition(sql, tok.start),
    });
  }
  lexer.delimiter = arg;
  return eol;
}

function metaCommandError(sql: string, offset: number, client: string): ApiError {
  let eol = sql.indexOf('\n', offset);
  if (eol < 0) eol = sql.length;
  const command = sql.slice(offset, Math.min(eol, offset + 40)).trim();
  return new ApiError(
    'SYNTAX_ERROR',
    `${command} at ${where(sql, offset)} is a ${client} meta-command, not SQL; Quarry sends statements to the server and does not support ${client}'s commands`,
    { position: offsetToPosition(sql, offset) },
  );
}

function where(sql: string, offset: number): string {
  const p = offsetToPosition(sql, offset);
  return `line ${p.line}, column ${p.column}`;
}
