import { AGGREGATES, emptyQueryRefs, type QueryRefs } from './QueryRefs';

/* node-sql-parser's AST differs between statement types and versions; it is walked loosely. */
type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const WRITES = new Set(['insert', 'replace', 'update', 'delete', 'create', 'drop', 'alter', 'truncate', 'rename']);

/** An identifier as node-sql-parser gives it: a string, or `{ type: 'backticks_quote_string', value }` when quoted. */
function name(x: unknown): string | undefined {
  if (typeof x === 'string') return x;
  if (x && typeof x === 'object') {
    const n = x as Node;
    if (typeof n.value === 'string') return n.value;
    if (n.expr) return name(n.expr);
  }
  return undefined;
}

/** The tables, columns and clauses of one statement parsed by node-sql-parser (MySQL/MariaDB, SQLite). */
export function readSqlParserRefs(ast: Node): QueryRefs {
  const refs = emptyQueryRefs();
  if (ast.type === 'select') {
    for (let s: Node | undefined = ast; s; s = s._next) if (Array.isArray(s.limit?.value) && s.limit.value.length > 0) refs.limited = true;
    const columns = Array.isArray(ast.columns) ? (ast.columns as Node[]) : [];
    // One row: aggregates without GROUP BY, or no FROM at all (SELECT date('now')).
    refs.oneRow = !ast.groupby && !ast._next && columns.length > 0 && (!ast.from || columns.every((c) => c.expr?.type === 'aggr_func' && AGGREGATES.has(String(c.expr.name).toLowerCase()) && !c.expr.over));
  }
  walk(ast, refs);
  return refs;
}

function walk(node: unknown, refs: QueryRefs): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, refs);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const n = node as Node;
  if (typeof n.type === 'string' && WRITES.has(n.type)) refs.writes.push(n.type.toUpperCase());
  if (n.type === 'select') readSelect(n, refs);
  if (n.type === 'update' || n.type === 'delete' || n.type === 'insert' || n.type === 'replace') readWriteTarget(n, refs);
  if (n.type === 'column_ref') {
    const column = n.column === '*' ? '*' : name(n.column);
    const table = name(n.table);
    if (column !== undefined) refs.columns.push(table ? { qualifier: n.db ? [name(n.db)!, table] : [table], column } : { column });
    return;
  }
  for (const value of Object.values(n)) walk(value, refs);
}

/** The table a write acts on (`table`, and DELETE's `from`) and the columns it sets or inserts, as columns of that table. */
function readWriteTarget(w: Node, refs: QueryRefs): void {
  const targets = [...(Array.isArray(w.table) ? w.table : []), ...(w.type === 'delete' && Array.isArray(w.from) ? w.from : [])] as Node[];
  let first: string | undefined;
  for (const t of targets) {
    const table = name(t.table);
    if (!table || refs.tables.some((r) => r.name === table && r.alias === (name(t.as) ?? undefined))) continue;
    refs.tables.push({ schema: name(t.db) ?? undefined, name: table, alias: name(t.as) });
    first ??= name(t.as) ?? table;
  }
  if (!first) return;
  const set = (Array.isArray(w.set) ? w.set : []) as Node[];
  const columns = [...set.map((c) => name(c.column)), ...(Array.isArray(w.columns) ? (w.columns as unknown[]).map(name) : [])];
  for (const column of columns) if (column) refs.columns.push({ qualifier: [first], column });
}

function readSelect(s: Node, refs: QueryRefs): void {
  for (const w of (Array.isArray(s.with) ? s.with : []) as Node[]) {
    const cte = name(w.name);
    if (cte) refs.cteNames.push(cte);
  }
  for (const f of (Array.isArray(s.from) ? s.from : []) as Node[]) {
    const alias = name(f.as);
    if (typeof f.table === 'string' || (f.table && typeof f.table === 'object' && !f.expr)) {
      const table = name(f.table);
      if (table) refs.tables.push({ schema: name(f.db) ?? undefined, name: table, alias });
    } else if (f.expr) {
      refs.hasOpaqueSource = true;
      if (alias) refs.opaqueAliases.push(alias);
    }
  }
  for (const c of (Array.isArray(s.columns) ? s.columns : []) as Node[]) {
    const alias = name(c.as);
    if (alias) refs.outputAliases.push(alias);
  }
  if (s.for_update || s.locking_read) refs.locks = true;
  if (s.into && (s.into.expr || s.into.keyword)) refs.into = true;
}
