/**
 * SQLite keeps some schema facts only in the CREATE statement text of sqlite_schema: CHECK constraints, the
 * expressions of generated columns and expression indexes, a partial index's WHERE, constraint names,
 * AUTOINCREMENT, a trigger's timing and events, a view's SELECT. These readers pull exactly those out of the
 * text SQLite itself stored (so it is known to parse) with a small tokenizer; everything the pragmas expose is
 * taken from the pragmas instead.
 */

interface Token {
  /** 'word' for bare words and keywords, 'ident' for quoted identifiers, 'string', 'number', 'punct'. */
  kind: 'word' | 'ident' | 'string' | 'number' | 'punct';
  /** For words: upper-cased; for quoted identifiers: unquoted; otherwise the source text. */
  value: string;
  start: number;
  end: number;
}

export interface SqliteCheck {
  name?: string;
  expression: string;
}

export interface SqliteColumnDdl {
  name: string;
  autoincrement: boolean;
  generated?: { expression: string; stored: boolean };
  checks: SqliteCheck[];
}

export interface SqliteNamedKey {
  name: string;
  columns: string[];
}

export interface SqliteCreateTable {
  /** Keyed by lower-cased column name: SQLite column names are case-insensitive. */
  columns: Map<string, SqliteColumnDdl>;
  checks: SqliteCheck[];
  primaryKeyName?: string;
  /** Named UNIQUE and FOREIGN KEY constraints, to name the pragma's anonymous ones by their columns. */
  uniqueNames: SqliteNamedKey[];
  foreignKeyNames: SqliteNamedKey[];
}

export interface SqliteCreateIndex {
  /** The text of each indexed part, without COLLATE/ASC/DESC. */
  parts: string[];
  where?: string;
}

export interface SqliteCreateTrigger {
  timing: 'before' | 'after' | 'instead of';
  events: ('insert' | 'update' | 'delete')[];
}

export function tokenizeSqlite(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const eol = sql.indexOf('\n', i);
      i = eol === -1 ? n : eol + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? n : close + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= n) throw new Error(`Unterminated ${c === "'" ? 'string' : 'identifier'} starting at offset ${i}`);
        if (sql[j] === c) {
          if (sql[j + 1] === c) {
            value += c;
            j += 2;
            continue;
          }
          break;
        }
        value += sql[j];
        j++;
      }
      tokens.push({ kind: c === "'" ? 'string' : 'ident', value: c === "'" ? sql.slice(i, j + 1) : value, start: i, end: j + 1 });
      i = j + 1;
    } else if (c === '[') {
      const close = sql.indexOf(']', i + 1);
      if (close === -1) throw new Error(`Unterminated [identifier] starting at offset ${i}`);
      tokens.push({ kind: 'ident', value: sql.slice(i + 1, close), start: i, end: close + 1 });
      i = close + 1;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j]!)) j++;
      tokens.push({ kind: 'word', value: sql.slice(i, j).toUpperCase(), start: i, end: j });
      i = j;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(sql[j]!)) j++;
      tokens.push({ kind: 'number', value: sql.slice(i, j), start: i, end: j });
      i = j;
    } else {
      tokens.push({ kind: 'punct', value: c, start: i, end: i + 1 });
      i++;
    }
  }
  return tokens;
}

const isWord = (token: Token | undefined, ...words: string[]): boolean => token?.kind === 'word' && words.includes(token.value);
const isPunct = (token: Token | undefined, p: string): boolean => token?.kind === 'punct' && token.value === p;
/** A bare word used as a name keeps its case; a keyword-looking word (upper-cased by the tokenizer) is re-read. */
const nameOf = (sql: string, token: Token): string => (token.kind === 'word' ? sql.slice(token.start, token.end) : token.kind === 'string' ? token.value.slice(1, -1).replace(/''/g, "'") : token.value);

/** Index of the token closing the parenthesis opened at `open`. */
function closingParen(tokens: Token[], open: number, sql: string): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    else if (isPunct(tokens[i], ')') && --depth === 0) return i;
  }
  throw new Error(`Unbalanced parentheses in: ${sql.slice(0, 120)}`);
}

/** Source text strictly inside the parentheses opened at token `open`. */
function insideParens(sql: string, tokens: Token[], open: number): { text: string; close: number } {
  const close = closingParen(tokens, open, sql);
  return { text: sql.slice(tokens[open]!.end, tokens[close]!.start).trim(), close };
}

/** Splits tokens[from, to) at top-level commas. */
function splitTopLevel(tokens: Token[], from: number, to: number): [number, number][] {
  const items: [number, number][] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    else if (isPunct(tokens[i], ')')) depth--;
    else if (depth === 0 && isPunct(tokens[i], ',')) {
      items.push([start, i]);
      start = i + 1;
    }
  }
  if (start < to) items.push([start, to]);
  return items;
}

/** Names in a parenthesised column list such as `(a, "b" DESC)`. */
function columnList(sql: string, tokens: Token[], open: number): { columns: string[]; close: number } {
  const close = closingParen(tokens, open, sql);
  const columns = splitTopLevel(tokens, open + 1, close).map(([s]) => nameOf(sql, tokens[s]!));
  return { columns, close };
}

export function parseCreateTable(sql: string): SqliteCreateTable {
  const tokens = tokenizeSqlite(sql);
  const result: SqliteCreateTable = { columns: new Map(), checks: [], uniqueNames: [], foreignKeyNames: [] };
  const open = tokens.findIndex((t) => isPunct(t, '('));
  // CREATE TABLE … AS SELECT has no column definitions; the pragmas tell all there is.
  if (open === -1 || tokens.slice(0, open).some((t) => isWord(t, 'AS'))) return result;
  const close = closingParen(tokens, open, sql);
  for (const [start, end] of splitTopLevel(tokens, open + 1, close)) {
    const first = tokens[start];
    if (!first) continue;
    if (isWord(first, 'CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN')) readTableConstraint(sql, tokens, start, end, result);
    else readColumnDefinition(sql, tokens, start, end, result);
  }
  return result;
}

function readTableConstraint(sql: string, tokens: Token[], start: number, end: number, out: SqliteCreateTable): void {
  let i = start;
  let name: string | undefined;
  if (isWord(tokens[i], 'CONSTRAINT')) {
    name = nameOf(sql, tokens[i + 1]!);
    i += 2;
  }
  const open = tokens.findIndex((t, k) => k >= i && k < end && isPunct(t, '('));
  if (open === -1) return;
  if (isWord(tokens[i], 'CHECK')) {
    const check: SqliteCheck = { expression: insideParens(sql, tokens, open).text };
    if (name !== undefined) check.name = name;
    out.checks.push(check);
  } else if (name !== undefined && isWord(tokens[i], 'PRIMARY')) {
    out.primaryKeyName = name;
  } else if (name !== undefined && isWord(tokens[i], 'UNIQUE')) {
    out.uniqueNames.push({ name, columns: columnList(sql, tokens, open).columns });
  } else if (name !== undefined && isWord(tokens[i], 'FOREIGN')) {
    out.foreignKeyNames.push({ name, columns: columnList(sql, tokens, open).columns });
  }
}

function readColumnDefinition(sql: string, tokens: Token[], start: number, end: number, out: SqliteCreateTable): void {
  const column: SqliteColumnDdl = { name: nameOf(sql, tokens[start]!), autoincrement: false, checks: [] };
  let pendingName: string | undefined;
  for (let i = start + 1; i < end; i++) {
    const token = tokens[i]!;
    if (isWord(token, 'CONSTRAINT')) {
      pendingName = nameOf(sql, tokens[i + 1]!);
      i++;
    } else if (isWord(token, 'CHECK') && isPunct(tokens[i + 1], '(')) {
      const { text, close } = insideParens(sql, tokens, i + 1);
      const check: SqliteCheck = { expression: text };
      if (pendingName !== undefined) check.name = pendingName;
      column.checks.push(check);
      pendingName = undefined;
      i = close;
    } else if (isWord(token, 'AS') && isPunct(tokens[i + 1], '(')) {
      const { text, close } = insideParens(sql, tokens, i + 1);
      column.generated = { expression: text, stored: isWord(tokens[close + 1], 'STORED') };
      i = close;
    } else if (isWord(token, 'AUTOINCREMENT')) {
      column.autoincrement = true;
    } else if (isWord(token, 'PRIMARY')) {
      if (pendingName !== undefined) out.primaryKeyName = pendingName;
      pendingName = undefined;
    } else if (isWord(token, 'UNIQUE')) {
      if (pendingName !== undefined) out.uniqueNames.push({ name: pendingName, columns: [column.name] });
      pendingName = undefined;
    } else if (isWord(token, 'REFERENCES')) {
      if (pendingName !== undefined) out.foreignKeyNames.push({ name: pendingName, columns: [column.name] });
      pendingName = undefined;
    } else if (isPunct(token, '(')) {
      i = closingParen(tokens, i, sql); // type arguments, DEFAULT (expr), REFERENCES t(cols): nothing to read
    }
  }
  for (const check of column.checks) out.checks.push(check);
  out.columns.set(column.name.toLowerCase(), column);
}

export function parseCreateIndex(sql: string): SqliteCreateIndex {
  const tokens = tokenizeSqlite(sql);
  const on = tokens.findIndex((t) => isWord(t, 'ON'));
  const open = tokens.findIndex((t, k) => k > on && isPunct(t, '('));
  if (on === -1 || open === -1) throw new Error(`Not a CREATE INDEX statement: ${sql.slice(0, 120)}`);
  const close = closingParen(tokens, open, sql);
  const parts = splitTopLevel(tokens, open + 1, close).map(([s, e]) => {
    let last = e;
    while (last > s + 1 && isWord(tokens[last - 1], 'ASC', 'DESC')) last--;
    if (last > s + 2 && isWord(tokens[last - 2], 'COLLATE')) last -= 2;
    return sql.slice(tokens[s]!.start, tokens[last - 1]!.end).trim();
  });
  const result: SqliteCreateIndex = { parts };
  if (isWord(tokens[close + 1], 'WHERE') && tokens[close + 2]) result.where = sql.slice(tokens[close + 2]!.start).trim().replace(/;$/, '').trim();
  return result;
}

export function parseCreateTrigger(sql: string): SqliteCreateTrigger {
  const tokens = tokenizeSqlite(sql);
  const on = tokens.findIndex((t) => isWord(t, 'ON'));
  if (on === -1) throw new Error(`Not a CREATE TRIGGER statement: ${sql.slice(0, 120)}`);
  const head = tokens.slice(0, on);
  const timing = head.some((t) => isWord(t, 'INSTEAD')) ? 'instead of' : head.some((t) => isWord(t, 'BEFORE')) ? 'before' : 'after';
  const events: SqliteCreateTrigger['events'] = [];
  if (head.some((t) => isWord(t, 'INSERT'))) events.push('insert');
  if (head.some((t) => isWord(t, 'UPDATE'))) events.push('update');
  if (head.some((t) => isWord(t, 'DELETE'))) events.push('delete');
  return { timing, events };
}

/** The SELECT of a CREATE VIEW: everything after the first top-level AS. */
export function viewSelect(sql: string): string | undefined {
  const tokens = tokenizeSqlite(sql);
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (isPunct(token, '(')) depth++;
    else if (isPunct(token, ')')) depth--;
    else if (depth === 0 && isWord(token, 'AS') && tokens[i + 1]) return sql.slice(tokens[i + 1]!.start).trim().replace(/;$/, '').trim();
  }
  return undefined;
}
