import type { Dialect } from '../../shared/domain/connection';
import type { StatementClassification, StatementRisk } from '../../shared/domain/query';
import { lexicalFacts } from '../../shared/dialect/lexicalFacts';
import { SqlLexer } from '../../shared/sql/SqlLexer';
import { splitStatements } from '../../shared/sql/splitStatements';

interface Verdict {
  risk: StatementRisk;
  reason?: string;
}

interface Tok {
  kind: string;
  /** Upper-cased text for words; the raw text otherwise. */
  text: string;
  /** Parenthesis depth the token sits at; a '(' has the depth outside it. */
  depth: number;
}

const SAFE: Verdict = { risk: 'safe' };
const WRITE: Verdict = { risk: 'write' };

/** Statements that read, or only change this session's state or transaction. */
const SAFE_VERBS = new Set([
  'SELECT', 'VALUES', 'TABLE', 'SHOW', 'DESCRIBE', 'DESC', 'FETCH', 'MOVE', 'CLOSE', 'DECLARE', 'LISTEN', 'UNLISTEN',
  'DISCARD', 'BEGIN', 'START', 'COMMIT', 'END', 'ROLLBACK', 'ABORT', 'SAVEPOINT', 'RELEASE', 'USE', 'RESET', 'HELP',
  'PREPARE', 'DEALLOCATE',
]);
/** Statement verbs an EXPLAIN wraps; the first one ends EXPLAIN's options. */
const EXPLAINABLE = new Set([
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'WITH', 'REPLACE', 'VALUES', 'TABLE', 'CREATE', 'MERGE', 'EXECUTE', 'DECLARE',
]);
/** After ALTER TABLE … DROP, these name what is dropped and it is not a column. */
const DROP_NON_COLUMN = new Set([
  'CONSTRAINT', 'DEFAULT', 'NOT', 'INDEX', 'KEY', 'PRIMARY', 'FOREIGN', 'CHECK', 'IDENTITY', 'EXPRESSION', 'TRIGGER',
  'SYSTEM', 'ATTRIBUTE',
]);
/** Object types named by two words, so DROP's reason reads 'DROP MATERIALIZED VIEW' rather than 'DROP MATERIALIZED'. */
const TWO_WORD_OBJECTS = new Set(['MATERIALIZED', 'FOREIGN', 'TEMPORARY', 'TEMP', 'UNIQUE', 'TEXT', 'ACCESS', 'EVENT', 'USER']);
const WHERE_ENDS = new Set(['RETURNING', 'ORDER', 'LIMIT']);

/**
 * Classify each statement of a script by the harm running it can do: 'safe' (reads), 'write', or 'destructive'
 * with a reason (DROP, TRUNCATE, DELETE/UPDATE without WHERE, ALTER TABLE … DROP COLUMN). A token-level scan,
 * not a parser: literals, comments and dollar-quoted bodies are opaque, data-modifying CTEs and EXPLAIN ANALYZE
 * are judged by what they run. Unknown statements count as writes.
 */
export function classifyStatements(sql: string, dialect: Dialect): StatementClassification[] {
  return splitStatements(sql, dialect).map((span) => {
    const verdict = classifyTokens(significantTokens(span.text, dialect), 0, Infinity);
    const c: StatementClassification = { start: span.start, end: span.end, text: span.text, risk: verdict.risk };
    if (verdict.reason) c.reason = verdict.reason;
    return c;
  });
}

function significantTokens(text: string, dialect: Dialect): Tok[] {
  const lexer = new SqlLexer(text, lexicalFacts[dialect]);
  const out: Tok[] = [];
  let depth = 0;
  for (let t = lexer.next(); t; t = lexer.next()) {
    if (t.kind === 'space' || t.kind === 'comment') continue;
    const raw = t.upper ?? text.slice(t.start, t.end);
    if (raw === ')') depth = Math.max(0, depth - 1);
    out.push({ kind: t.kind, text: raw, depth });
    if (raw === '(' && t.kind === 'punct') depth++;
  }
  return out;
}

function worse(a: Verdict, b: Verdict): Verdict {
  const rank = { safe: 0, write: 1, destructive: 2 } as const;
  return rank[b.risk] > rank[a.risk] ? b : a;
}

/** The index of the ')' closing the '(' at `open`, or `end` when it is unclosed. */
function closing(t: Tok[], open: number, end: number): number {
  const depth = t[open]!.depth;
  for (let i = open + 1; i < end && i < t.length; i++) {
    if (t[i]!.text === ')' && t[i]!.depth === depth) return i;
  }
  return Math.min(end, t.length);
}

const isWord = (tok: Tok | undefined, ...words: string[]): boolean => tok?.kind === 'word' && words.includes(tok.text);

function classifyTokens(t: Tok[], from: number, to: number): Verdict {
  const end = Math.min(to, t.length);
  let i = from;
  while (i < end && t[i]!.text === '(' && t[i]!.kind === 'punct') i++;
  const head = t[i];
  if (!head) return SAFE;
  const base = head.depth;
  const verb = head.kind === 'word' ? head.text : '';

  if (verb === 'WITH') return classifyWith(t, i + 1, end);
  if (verb === 'EXPLAIN' || ((verb === 'DESCRIBE' || verb === 'DESC') && isWord(t[i + 1], ...EXPLAINABLE))) {
    return classifyExplain(t, i + 1, end);
  }
  if (verb === 'SELECT') return selectInto(t, i + 1, end, base);
  if (verb === 'SET') {
    const global = t.slice(i + 1, end).some((x) => isWord(x, 'GLOBAL', 'PERSIST', 'PERSIST_ONLY') || /^@@global\./i.test(x.text));
    return global ? WRITE : SAFE;
  }
  if (verb === 'PRAGMA') return t.slice(i + 1, end).some((x) => x.text === '=') ? WRITE : SAFE;
  if (SAFE_VERBS.has(verb)) return SAFE;
  if (verb === 'DROP') return { risk: 'destructive', reason: `DROP ${dropObject(t, i + 1)}`.trim() };
  if (verb === 'TRUNCATE') return { risk: 'destructive', reason: 'TRUNCATE' };
  if (verb === 'DELETE' || verb === 'UPDATE') return whereVerdict(verb, t, i + 1, end, base);
  if (verb === 'ALTER' && isWord(t[i + 1], 'TABLE')) return alterTable(t, i + 2, end, base);
  return WRITE;
}

function classifyWith(t: Tok[], from: number, end: number): Verdict {
  let i = from;
  if (isWord(t[i], 'RECURSIVE')) i++;
  let verdict: Verdict = SAFE;
  while (i < end) {
    i++; // the CTE's name
    if (t[i]?.text === '(') i = closing(t, i, end) + 1; // its column list
    if (isWord(t[i], 'AS')) i++;
    if (isWord(t[i], 'NOT')) i++;
    if (isWord(t[i], 'MATERIALIZED')) i++;
    if (t[i]?.text !== '(') break;
    const close = closing(t, i, end);
    verdict = worse(verdict, classifyTokens(t, i + 1, close));
    i = close + 1;
    // PostgreSQL's SEARCH and CYCLE clauses sit between a CTE and the next comma; skip to it.
    while (i < end && t[i]!.text !== ',' && !(t[i]!.kind === 'word' && isStatementVerb(t[i]!.text)) && t[i]!.text !== '(') i++;
    if (t[i]?.text !== ',') break;
    i++;
  }
  return worse(verdict, classifyTokens(t, i, end));
}

function isStatementVerb(w: string): boolean {
  return EXPLAINABLE.has(w) && w !== 'WITH';
}

function classifyExplain(t: Tok[], from: number, end: number): Verdict {
  let i = from;
  let analyze = false;
  if (t[i]?.text === '(') {
    const close = closing(t, i, end);
    for (let j = i + 1; j < close; j++) {
      if (isWord(t[j], 'ANALYZE', 'ANALYSE')) analyze = !isWord(t[j + 1], 'FALSE', 'OFF') && t[j + 1]?.text !== '0';
    }
    i = close + 1;
  }
  while (i < end && !(t[i]!.kind === 'word' && EXPLAINABLE.has(t[i]!.text)) && t[i]!.text !== '(') {
    if (isWord(t[i], 'ANALYZE', 'ANALYSE')) analyze = true;
    i++;
  }
  if (!analyze) return SAFE;
  const inner = classifyTokens(t, i, end);
  return inner.reason ? { risk: inner.risk, reason: `EXPLAIN ANALYZE runs it: ${inner.reason}` } : inner;
}

function selectInto(t: Tok[], from: number, end: number, base: number): Verdict {
  for (let i = from; i < end; i++) {
    if (t[i]!.depth === base && isWord(t[i], 'INTO')) {
      // MySQL's SELECT … INTO @var only sets a session variable.
      return t[i + 1]?.text.startsWith('@') ? SAFE : WRITE;
    }
  }
  return SAFE;
}

function dropObject(t: Tok[], i: number): string {
  const first = t[i];
  if (first?.kind !== 'word') return '';
  const second = t[i + 1];
  return TWO_WORD_OBJECTS.has(first.text) && second?.kind === 'word' ? `${first.text} ${second.text}` : first.text;
}

function whereVerdict(verb: string, t: Tok[], from: number, end: number, base: number): Verdict {
  for (let i = from; i < end; i++) {
    if (t[i]!.depth !== base || !isWord(t[i], 'WHERE')) continue;
    let j = i + 1;
    while (j < end && !(t[j]!.depth === base && isWord(t[j], ...WHERE_ENDS))) j++;
    if (alwaysTrue(t.slice(i + 1, j))) return { risk: 'destructive', reason: `${verb} with a WHERE that is always true` };
    return WRITE;
  }
  return { risk: 'destructive', reason: `${verb} without WHERE` };
}

function alwaysTrue(cond: Tok[]): boolean {
  const texts = cond.map((x) => x.text);
  if (texts.length === 1) return texts[0] === 'TRUE' || texts[0] === '1';
  if (texts.length === 3 && texts[1] === '=') {
    const [a, , b] = cond;
    return a!.text === b!.text && (a!.kind === 'number' || a!.kind === 'string');
  }
  return false;
}

function alterTable(t: Tok[], from: number, end: number, base: number): Verdict {
  let verdict: Verdict = WRITE;
  for (let i = from; i < end; i++) {
    if (t[i]!.depth !== base) continue;
    if (isWord(t[i], 'TRUNCATE') && isWord(t[i + 1], 'PARTITION')) {
      verdict = worse(verdict, { risk: 'destructive', reason: 'ALTER TABLE … TRUNCATE PARTITION' });
    }
    if (!isWord(t[i], 'DROP')) continue;
    const next = t[i + 1];
    if (isWord(next, 'COLUMN')) return { risk: 'destructive', reason: 'ALTER TABLE … DROP COLUMN' };
    if (isWord(next, 'PARTITION')) return { risk: 'destructive', reason: 'ALTER TABLE … DROP PARTITION' };
    if (next && !(next.kind === 'word' && DROP_NON_COLUMN.has(next.text))) {
      // COLUMN is optional in PostgreSQL, MySQL and SQLite: DROP <name> drops a column.
      return { risk: 'destructive', reason: 'ALTER TABLE … DROP COLUMN' };
    }
  }
  return verdict;
}
