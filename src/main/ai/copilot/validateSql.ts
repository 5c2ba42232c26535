import type { SchemaModel } from '../../../shared/domain/SchemaModel';
import { dialectFacts } from '../../../shared/dialect/dialectFacts';
import { splitStatements } from '../../../shared/sql/splitStatements';
import type { StatementParser } from '../../review/parse/StatementParser';
import { askDialectFacts } from './askDialectFacts';
import type { QueryRefs } from './QueryRefs';
import { readPostgresRefs } from './readPostgresRefs';
import { readSqlParserRefs } from './readSqlParserRefs';
import { schemaObjects, type SchemaObject } from './schemaObjects';

export interface ValidateSqlOptions {
  /** Refuse anything but one read-only statement (SELECT, WITH … SELECT, VALUES, EXPLAIN of one). Defaults to true. */
  readOnly?: boolean;
  /** Refuse a query with no LIMIT unless it aggregates to one row (EXPLAIN needs none). Defaults to true. */
  requireLimit?: boolean;
}

export interface SqlValidation {
  valid: boolean;
  /** Plain sentences, fit to show the user and to feed back to the model. */
  problems: string[];
  /** The schema tables and views the statement reads, as the schema names them. */
  tables: string[];
}

/** EXPLAIN and its options, in any dialect's spelling; the statement explained is what gets checked. */
const EXPLAIN_PREFIX = /^\s*explain\b(?:\s+(?:query\s+plan|analy[sz]e|verbose|extended|partitions|format\s*=\s*\w+)|\s*\([^)]*\))*\s+/i;

/**
 * Checks SQL the model wrote against the dialect's parser and the schema: one statement, read-only, a LIMIT,
 * and every table and column it names exists. Columns are checked against all the tables of the statement
 * together (not per subquery scope), which can let a column of the wrong table through but never refuses a
 * correct query; columns of subqueries, CTEs and table functions go unchecked.
 */
export function validateSql(sql: string, model: SchemaModel, parser: StatementParser, options: ValidateSqlOptions = {}): SqlValidation {
  const readOnly = options.readOnly ?? true;
  const text = sql.trim().replace(/;\s*$/, '');
  if (!text) return { valid: false, problems: ['The SQL is empty.'], tables: [] };
  const explain = EXPLAIN_PREFIX.exec(text);
  const body = explain ? text.slice(explain[0].length) : text;
  const count = splitStatements(body, model.dialect).length;
  if (count > 1) return { valid: false, problems: [`Write exactly one statement; this is ${count}.`], tables: [] };
  const outcome = parser.parse(body, model.dialect);
  const label = `${dialectFacts[model.dialect].label} ${model.serverVersion}`;
  if (!outcome.ok) {
    const at = outcome.offset !== undefined ? ` (near "${body.slice(outcome.offset, outcome.offset + 20)}")` : '';
    return { valid: false, problems: [`The SQL does not parse as ${label}: ${outcome.message}${at}.`], tables: [] };
  }
  if (outcome.statements.length !== 1) {
    return { valid: false, problems: [`Write exactly one statement; this is ${outcome.statements.length}.`], tables: [] };
  }
  const statement = outcome.statements[0]!;
  const problems: string[] = [];
  if (readOnly && statement.kind !== 'select') problems.push(`Only a read-only query (SELECT or WITH … SELECT) is allowed; this is ${describeKind(statement.kind)}.`);
  const refs =
    statement.parser === 'libpg-query'
      ? readPostgresRefs(statement.ast as Record<string, unknown>)
      : statement.parser === 'node-sql-parser'
        ? readSqlParserRefs(statement.ast as Record<string, unknown>)
        : undefined;
  // SQLite accepted a statement node-sql-parser cannot read: its syntax is right, its names go unchecked.
  if (!refs) return { valid: problems.length === 0, problems, tables: [] };
  if (readOnly) {
    // A write at the top is already refused above; this finds one inside a read (a data-modifying WITH).
    if (statement.kind === 'select' && refs.writes.length > 0) problems.push(`Only reading is allowed; the statement contains ${[...new Set(refs.writes)].join(', ')}.`);
    if (refs.locks) problems.push('Do not lock rows (FOR UPDATE / FOR SHARE): the query only reads.');
    if (refs.into) problems.push('Do not use SELECT … INTO: the query only reads.');
  }
  if ((options.requireLimit ?? true) && !explain && statement.kind === 'select' && !refs.limited && !refs.oneRow) {
    problems.push('Add a LIMIT (100 unless the question asks for a number of rows).');
  }
  const tables = checkNames(refs, model, problems);
  return { valid: problems.length === 0, problems: [...new Set(problems)], tables };
}

function describeKind(kind: string): string {
  return kind === 'other' ? 'not a query' : `a ${kind.replace('-', ' ').toUpperCase()} statement`;
}

type Source = { object: SchemaObject } | { opaque: true };

function checkNames(refs: QueryRefs, model: SchemaModel, problems: string[]): string[] {
  const facts = askDialectFacts[model.dialect];
  const key = (s: string): string => (facts.caseSensitiveIdentifiers ? s : s.toLowerCase());
  const objects = schemaObjects(model);
  const defaultSchema = facts.defaultSchema ?? model.database;
  const ctes = new Set(refs.cteNames.map(key));
  const sources = new Map<string, Source>();
  const read: SchemaObject[] = [];
  for (const alias of refs.opaqueAliases) sources.set(key(alias), { opaque: true });
  for (const ref of refs.tables) {
    let source: Source | undefined;
    if (ref.schema === undefined && ctes.has(key(ref.name))) source = { opaque: true };
    else {
      const matches = objects.filter((o) => key(o.name) === key(ref.name) && (ref.schema === undefined || key(o.schema) === key(ref.schema)));
      const object = matches.find((o) => ref.schema !== undefined || o.schema === defaultSchema) ?? matches[0];
      if (object) {
        source = { object };
        if (!read.includes(object)) read.push(object);
      } else if ((ref.schema !== undefined && facts.systemSchemas.includes(ref.schema.toLowerCase())) || (ref.schema === undefined && facts.systemTables.test(ref.name))) {
        source = { opaque: true };
      } else {
        const written = ref.schema ? `${ref.schema}.${ref.name}` : ref.name;
        problems.push(`Table ${written} does not exist${suggest(ref.name, objects.map((o) => o.name))}.`);
        source = { opaque: true };
      }
    }
    sources.set(key(ref.alias ?? ref.name), source);
    // A table is often still named after its alias is given; resolving both costs nothing and refuses no correct query.
    if (ref.alias && !sources.has(key(ref.name))) sources.set(key(ref.name), source);
  }
  const outputs = new Set(refs.outputAliases.map(key));
  const pseudo = new Set(facts.pseudoColumns);
  const hasColumn = (o: SchemaObject, column: string): boolean => o.columns.some((c) => key(c.name) === key(column)) || pseudo.has(column.toLowerCase());
  for (const ref of refs.columns) {
    if (ref.qualifier) {
      const qualifier = ref.qualifier.at(-1)!;
      const source = sources.get(key(qualifier));
      if (!source) {
        problems.push(`${qualifier}.${ref.column}: the query has no table or alias named ${qualifier}${suggest(qualifier, [...sources.keys()])}.`);
      } else if ('object' in source && ref.column !== '*' && !hasColumn(source.object, ref.column)) {
        problems.push(`Column ${ref.column} does not exist in ${source.object.name}${suggest(ref.column, source.object.columns.map((c) => c.name))}; its columns are ${columnList(source.object)}.`);
      }
      continue;
    }
    if (ref.column === '*' || outputs.has(key(ref.column)) || sources.has(key(ref.column))) continue;
    const resolved = [...new Set([...sources.values()].filter((s): s is { object: SchemaObject } => 'object' in s).map((s) => s.object))];
    if (resolved.some((o) => hasColumn(o, ref.column))) continue;
    if (refs.hasOpaqueSource || [...sources.values()].some((s) => 'opaque' in s)) continue;
    if (resolved.length === 0) problems.push(`Column ${ref.column}: the query reads no table that could have it.`);
    else {
      const all = resolved.flatMap((o) => o.columns.map((c) => c.name));
      problems.push(`Column ${ref.column} does not exist in ${resolved.map((o) => o.name).join(', ')}${suggest(ref.column, all)}.`);
    }
  }
  return read.map((o) => (o.unqualified ? o.name : `${o.schema}.${o.name}`));
}

function columnList(o: SchemaObject): string {
  const names = o.columns.map((c) => c.name);
  return names.length > 30 ? `${names.slice(0, 30).join(', ')} …` : names.join(', ');
}

/** " (did you mean x?)" for the closest name within a couple of edits, or one containing the other. */
function suggest(wrong: string, candidates: readonly string[]): string {
  const w = wrong.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of new Set(candidates)) {
    const l = c.toLowerCase();
    const d = l.includes(w) || w.includes(l) ? Math.abs(l.length - w.length) / 4 + 0.5 : editDistance(w, l);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, w.length / 4) ? ` (did you mean ${best}?)` : '';
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
