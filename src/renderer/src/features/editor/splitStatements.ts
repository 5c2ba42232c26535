/** One statement of the editor text, by character offsets (end exclusive, after any trailing ';'). */
export interface StatementRange {
  start: number;
  end: number;
  /** The statement without surrounding whitespace or its trailing ';'. */
  text: string;
}

/**
 * Splits SQL on top-level semicolons, skipping quotes, identifiers, comments and PostgreSQL dollar quotes.
 * The server classifies and runs what we send with its real parser; this split only decides what
 * "the statement at the cursor" is, so it errs towards keeping text together.
 */
export function splitStatements(sql: string): StatementRange[] {
  const out: StatementRange[] = [];
  let segmentStart = 0;
  let i = 0;
  const n = sql.length;
  const push = (end: number, endWithSemicolon: number) => {
    const raw = sql.slice(segmentStart, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text && !isOnlyComments(text)) out.push({ start: segmentStart + lead, end: endWithSemicolon, text });
  };
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === '#' && isMysqlHashComment(sql, i)) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      i = skipQuoted(sql, i, c);
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (tag && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? '')) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? n : close + tag[0].length;
      } else i++;
    } else if (c === ';') {
      push(i, i + 1);
      segmentStart = i + 1;
      i++;
    } else i++;
  }
  push(n, n);
  return out;
}

/** The statement the cursor is in, or the closest one before it (the cursor usually rests after a ';'). */
export function statementAt(sql: string, offset: number): StatementRange | undefined {
  const all = splitStatements(sql);
  let best: StatementRange | undefined;
  for (const s of all) {
    if (s.start <= offset && offset <= s.end) return s;
    if (s.end <= offset) best = s;
  }
  return best ?? all[0];
}

function skipQuoted(sql: string, i: number, quote: string): number {
  let j = i + 1;
  while (j < sql.length) {
    if (sql[j] === '\\' && quote !== '"') {
      // Backslash escapes exist in MySQL strings and PostgreSQL E'' strings; skipping one char is harmless elsewhere
      // except for a trailing backslash, which the next quote check handles.
      j += 2;
      continue;
    }
    if (sql[j] === quote) {
      if (sql[j + 1] === quote) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return sql.length;
}

function isMysqlHashComment(sql: string, i: number): boolean {
  // '#' is also a PostgreSQL operator (bitwise xor, jsonb path); treat it as a comment only at line start.
  const lineStart = sql.lastIndexOf('\n', i - 1) + 1;
  return sql.slice(lineStart, i).trim() === '';
}

function isOnlyComments(text: string): boolean {
  return text.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '').trim() === '';
}
