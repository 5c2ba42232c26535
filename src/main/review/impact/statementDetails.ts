import type { ParsedStatement } from '../parse/ParsedStatement';

/* The parsers' raw trees, read loosely: only the few facts the impact analysis needs beyond ParsedStatement. */
type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A foreign key a statement adds: its columns and what they reference. */
export interface Reference {
  columns: string[];
  schema?: string;
  table: string;
  /** Empty when the statement names none (the referenced table's primary key). */
  refColumns: string[];
}

export interface CommandDetails {
  /** A foreign key this command adds, table-level or inline on a new column. */
  reference?: Reference;
  /** ADD CONSTRAINT … CHECK (column IS NOT NULL): the column, which PostgreSQL 12+ then sets NOT NULL without a scan. */
  notNullCheckColumn?: string;
}

/** What ParsedStatement leaves on the raw AST: schema qualifiers, type modifiers, referenced tables, index columns. */
export interface StatementDetails {
  /** The schema the statement's table is qualified with, when it is. */
  schema?: string;
  /** One entry per ParsedStatement.alterCommands entry, in the same order. */
  commands: CommandDetails[];
  /** Foreign keys a CREATE TABLE declares. */
  references: Reference[];
  /** CREATE INDEX: its columns; undefined when a part is an expression or the parser does not say. */
  indexColumns?: string[];
}

const none = (statement: ParsedStatement): StatementDetails => ({ commands: statement.alterCommands.map(() => ({})), references: [] });

/** Reads the details of one parsed statement from its parser's tree; a shape it does not know yields no details. */
export function statementDetails(statement: ParsedStatement): StatementDetails {
  try {
    if (statement.parser === 'libpg-query') return postgresDetails(statement);
    if (statement.parser === 'node-sql-parser') return sqlParserDetails(statement);
  } catch {
    // An unexpected tree costs the details, never the analysis.
  }
  return none(statement);
}

function sval(n: Node | undefined): string {
  return n?.String?.sval ?? '';
}

function pgReference(c: Node, column?: string): Reference | undefined {
  if (c?.contype !== 'CONSTR_FOREIGN' || !c.pktable) return undefined;
  const columns = ((c.fk_attrs as Node[] | undefined) ?? []).map(sval);
  return {
    columns: columns.length ? columns : column ? [column] : [],
    ...(c.pktable.schemaname ? { schema: c.pktable.schemaname as string } : {}),
    table: c.pktable.relname as string,
    refColumns: ((c.pk_attrs as Node[] | undefined) ?? []).map(sval),
  };
}

function pgColumnReferences(def: Node): Reference[] {
  return ((def.constraints as Node[] | undefined) ?? []).flatMap((x) => {
    const ref = pgReference(x.Constraint, def.colname);
    return ref ? [ref] : [];
  });
}

function postgresDetails(statement: ParsedStatement): StatementDetails {
  const root = statement.ast as Node;
  const type = Object.keys(root)[0] ?? '';
  const n = root[type] as Node;
  const out = none(statement);
  const relation: Node | undefined = n.relation ?? n.relations?.[0]?.RangeVar;
  if (relation?.schemaname) out.schema = relation.schemaname;
  if (type === 'DropStmt') {
    const items: Node[] = n.objects?.[0]?.List?.items ?? [];
    if (items.length > 1) out.schema = sval(items[items.length - 2]);
  }
  if (type === 'AlterTableStmt') {
    out.commands = ((n.cmds as Node[]) ?? []).map((c) => {
      const cmd = c.AlterTableCmd as Node;
      const def = cmd.def as Node | undefined;
      const details: CommandDetails = {};
      if (def?.ColumnDef) {
        const ref = pgColumnReferences(def.ColumnDef)[0];
        if (ref) details.reference = ref;
      }
      const ref = def?.Constraint ? pgReference(def.Constraint) : undefined;
      if (ref) details.reference = ref;
      const test = def?.Constraint?.contype === 'CONSTR_CHECK' ? (def.Constraint.raw_expr?.NullTest as Node | undefined) : undefined;
      const fields = (test?.arg?.ColumnRef?.fields as Node[] | undefined) ?? [];
      if (test?.nulltesttype === 'IS_NOT_NULL' && fields.length === 1 && sval(fields[0])) details.notNullCheckColumn = sval(fields[0]);
      return details;
    });
  }
  if (type === 'CreateStmt') {
    for (const e of (n.tableElts as Node[]) ?? []) {
      if (e.ColumnDef) out.references.push(...pgColumnReferences(e.ColumnDef));
      const ref = e.Constraint ? pgReference(e.Constraint) : undefined;
      if (ref) out.references.push(ref);
    }
  }
  if (type === 'IndexStmt') {
    const names = ((n.indexParams as Node[]) ?? []).map((p) => p.IndexElem?.name as string | undefined);
    if (names.length && names.every((x): x is string => typeof x === 'string')) out.indexColumns = names;
  }
  return out;
}

function columnName(c: Node | undefined): string | undefined {
  const col = c?.column;
  if (typeof col === 'string') return col;
  const value = col?.expr?.value ?? col?.value;
  return typeof value === 'string' ? value : undefined;
}

function sqlParserReference(def: Node | undefined, columns: string[]): Reference | undefined {
  const table: Node | undefined = def?.table?.[0];
  if (!table?.table) return undefined;
  return {
    columns,
    ...(table.db ? { schema: table.db as string } : {}),
    table: table.table as string,
    refColumns: ((def!.definition as Node[] | undefined) ?? []).map(columnName).filter((x): x is string => Boolean(x)),
  };
}

function sqlParserDetails(statement: ParsedStatement): StatementDetails {
  const n = statement.ast as Node;
  const out = none(statement);
  const first: Node | undefined = Array.isArray(n.table) ? n.table[0] : Array.isArray(n.name) ? n.name[0] : n.table;
  if (first && typeof first === 'object' && first.db) out.schema = first.db;
  const type = String(n.type ?? '').toLowerCase();
  const keyword = String(n.keyword ?? '').toLowerCase();
  if (type === 'alter') {
    out.commands = ((n.expr as Node[]) ?? []).map((e) => {
      const details: CommandDetails = {};
      const ref =
        sqlParserReference(e.create_definitions?.reference_definition, ((e.create_definitions?.definition as Node[] | undefined) ?? []).map(columnName).filter((x): x is string => Boolean(x))) ??
        sqlParserReference(e.reference_definition, [columnName(e.column)].filter((x): x is string => Boolean(x)));
      if (ref) details.reference = ref;
      return details;
    });
  }
  if (type === 'create' && keyword === 'table') {
    for (const d of (n.create_definitions as Node[]) ?? []) {
      const columns = d.resource === 'column' ? [columnName(d.column)] : ((d.definition as Node[] | undefined) ?? []).map(columnName);
      const ref = sqlParserReference(d.reference_definition, columns.filter((x): x is string => Boolean(x)));
      if (ref) out.references.push(ref);
    }
  }
  if (type === 'create' && keyword === 'index') {
    const names = ((n.index_columns as Node[]) ?? []).map((c) => (c.type === 'column_ref' ? columnName(c) : undefined));
    if (names.length && names.every((x): x is string => typeof x === 'string')) out.indexColumns = names;
  }
  return out;
}
