import type { ColumnInfo, SchemaModel } from '../../../../shared/domain/SchemaModel';
import { statementAtCursor } from './statementAtCursor';

export type CompletionKind = 'keyword' | 'schema' | 'table' | 'view' | 'column' | 'function';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  /** e.g. the column type or the table's schema. */
  detail?: string;
  insertText: string;
  /** Lower sorts first. */
  sortText: string;
}

export interface TableRef {
  schema?: string;
  table: string;
  alias?: string;
}

interface Relation {
  schema: string;
  name: string;
  kind: 'table' | 'view';
  columns: ColumnInfo[];
}

export const sqlKeywords = [
  'SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'NULL', 'IS', 'IN', 'EXISTS', 'BETWEEN', 'LIKE', 'ILIKE', 'AS',
  'JOIN', 'INNER JOIN', 'LEFT JOIN', 'RIGHT JOIN', 'FULL JOIN', 'CROSS JOIN', 'ON', 'USING', 'GROUP BY', 'ORDER BY',
  'HAVING', 'LIMIT', 'OFFSET', 'DISTINCT', 'UNION', 'UNION ALL', 'INTERSECT', 'EXCEPT', 'CASE', 'WHEN', 'THEN',
  'ELSE', 'END', 'WITH', 'RECURSIVE', 'INSERT INTO', 'VALUES', 'UPDATE', 'SET', 'DELETE FROM', 'RETURNING',
  'CREATE TABLE', 'CREATE INDEX', 'CREATE VIEW', 'ALTER TABLE', 'DROP TABLE', 'TRUNCATE', 'BEGIN', 'COMMIT',
  'ROLLBACK', 'EXPLAIN', 'ANALYZE', 'ASC', 'DESC', 'COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'COALESCE', 'CAST',
  'TRUE', 'FALSE', 'DEFAULT', 'PRIMARY KEY', 'FOREIGN KEY', 'REFERENCES', 'UNIQUE', 'CHECK', 'INDEX',
];

const identifier = String.raw`(?:"[^"]+"|\x60[^\x60]+\x60|[A-Za-z_][\w$]*)`;
const refPattern = new RegExp(
  String.raw`\b(?:FROM|JOIN|UPDATE|INTO)\s+(${identifier}(?:\s*\.\s*${identifier})?)(?:\s+(?:AS\s+)?(${identifier}))?`,
  'gi',
);
const commaRefPattern = new RegExp(String.raw`,\s*(${identifier}(?:\s*\.\s*${identifier})?)(?:\s+(?:AS\s+)?(${identifier}))?`, 'gi');
const notAliases = new Set([
  'where', 'join', 'inner', 'left', 'right', 'full', 'cross', 'outer', 'on', 'using', 'group', 'order', 'limit',
  'set', 'values', 'having', 'union', 'natural', 'lateral', 'window', 'offset', 'returning', 'select', 'for', 'as',
  'except', 'intersect', 'fetch', 'default',
]);

function unquote(name: string): string {
  const t = name.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith('`') && t.endsWith('`'))) return t.slice(1, -1);
  return t;
}

function toRef(qualified: string, alias: string | undefined): TableRef {
  const parts = qualified.split(/\s*\.\s*/).map(unquote);
  const ref: TableRef = parts.length > 1 ? { schema: parts[0], table: parts[1]! } : { table: parts[0]! };
  if (alias && !notAliases.has(alias.toLowerCase())) ref.alias = unquote(alias);
  return ref;
}

/** Tables named in the FROM/JOIN/UPDATE/INTO clauses of one statement, with their aliases. */
export function tableRefs(statement: string): TableRef[] {
  const refs: TableRef[] = [];
  const masked = maskLiterals(statement);
  for (const m of masked.matchAll(refPattern)) {
    refs.push(toRef(m[1]!, m[2]));
    // FROM a x, b y: the comma list continues until the next clause keyword.
    const rest = masked.slice(m.index! + m[0].length);
    const stop = rest.search(/\b(?:WHERE|JOIN|INNER|LEFT|RIGHT|FULL|CROSS|ON|GROUP|ORDER|LIMIT|HAVING|UNION|SET|VALUES)\b|[()]/i);
    const list = stop < 0 ? rest : rest.slice(0, stop);
    for (const c of list.matchAll(commaRefPattern)) refs.push(toRef(c[1]!, c[2]));
  }
  return refs;
}

/** Replaces string literals and comments with spaces, keeping offsets, so their words never look like SQL. */
function maskLiterals(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'?|--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/g, (m) => ' '.repeat(m.length));
}

function relations(model: SchemaModel): Relation[] {
  const out: Relation[] = [];
  for (const s of model.schemas) {
    for (const t of s.tables) out.push({ schema: s.name, name: t.name, kind: 'table', columns: t.columns });
    for (const v of s.views) out.push({ schema: s.name, name: v.name, kind: 'view', columns: v.columns });
  }
  return out;
}

function findRelation(all: Relation[], ref: { schema?: string; table: string }): Relation | undefined {
  const name = ref.table.toLowerCase();
  const schema = ref.schema?.toLowerCase();
  return all.find((r) => r.name.toLowerCase() === name && (!schema || r.schema.toLowerCase() === schema));
}

function quoteIfNeeded(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function columnItems(rel: Relation, sortPrefix: string): CompletionItem[] {
  return rel.columns.map((c) => ({
    label: c.name,
    kind: 'column' as const,
    detail: `${c.dataType} — ${rel.name}`,
    insertText: quoteIfNeeded(c.name),
    sortText: `${sortPrefix}${String(c.ordinal).padStart(4, '0')}`,
  }));
}

/**
 * What to offer at `offset` in the editor text. After `x.` it offers the columns of the table that `x` names
 * or aliases in the statement at the cursor (or the relations of schema `x`); elsewhere columns of the
 * statement's tables first, then tables, schemas and keywords.
 */
export function completionsAt(text: string, offset: number, model: SchemaModel | undefined): CompletionItem[] {
  const before = text.slice(0, offset);
  const statement = statementAtCursor(text, offset, model?.dialect ?? 'postgres');
  const stmtText = statement ? text.slice(statement.start, Math.max(statement.end, offset)) : before;
  const refs = tableRefs(stmtText);
  const all = model ? relations(model) : [];

  const qualified = new RegExp(String.raw`(${identifier})\s*\.\s*([\w$]*)$`).exec(before);
  if (qualified) {
    const qualifier = unquote(qualified[1]!).toLowerCase();
    const byAlias = refs.find((r) => r.alias?.toLowerCase() === qualifier);
    const byName = refs.find((r) => !r.alias && r.table.toLowerCase() === qualifier);
    const target = byAlias ?? byName;
    const rel = target ? findRelation(all, target) : findRelation(all, { table: qualifier });
    if (rel) return columnItems(rel, '0');
    const schema = model?.schemas.find((s) => s.name.toLowerCase() === qualifier);
    if (schema) {
      return all
        .filter((r) => r.schema === schema.name)
        .map((r) => ({ label: r.name, kind: r.kind, detail: `${r.kind} in ${r.schema}`, insertText: quoteIfNeeded(r.name), sortText: `1${r.name}` }));
    }
    return [];
  }

  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  for (const ref of refs) {
    const rel = findRelation(all, ref);
    if (!rel) continue;
    for (const item of columnItems(rel, '0')) {
      if (seen.has(`c:${item.label}`)) continue;
      seen.add(`c:${item.label}`);
      items.push(item);
    }
  }
  const schemas = model?.schemas ?? [];
  // Tables of the default schema go in bare; others qualified, since the search path will not find them.
  const defaults = new Set(['public', 'main', model?.database ?? '', schemas.length === 1 ? schemas[0]!.name : '']);
  for (const r of all) {
    const bare = defaults.has(r.schema);
    items.push({
      label: r.name,
      kind: r.kind,
      detail: `${r.kind} in ${r.schema}`,
      insertText: bare ? quoteIfNeeded(r.name) : `${quoteIfNeeded(r.schema)}.${quoteIfNeeded(r.name)}`,
      sortText: `${bare ? 1 : 2}${r.name}`,
    });
  }
  for (const s of schemas) items.push({ label: s.name, kind: 'schema', detail: 'schema', insertText: quoteIfNeeded(s.name), sortText: `3${s.name}` });
  for (const s of schemas) {
    for (const f of s.routines) {
      if (seen.has(`f:${f.name}`)) continue;
      seen.add(`f:${f.name}`);
      items.push({ label: f.name, kind: 'function', detail: `${f.kind}${f.signature}`, insertText: quoteIfNeeded(f.name), sortText: `4${f.name}` });
    }
  }
  for (const k of sqlKeywords) items.push({ label: k, kind: 'keyword', insertText: k, sortText: `5${k}` });
  return items;
}
