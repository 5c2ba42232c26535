import type { Dialect } from '../../../shared/domain/connection';
import { lexicalFacts } from '../../../shared/dialect/lexicalFacts';
import type { ColumnInfo, SchemaModel, TableInfo } from '../../../shared/domain/SchemaModel';
import { askDialectFacts } from './askDialectFacts';

/** A table or view the model may query, as the prompt and the validator see it. */
export interface SchemaObject {
  schema: string;
  name: string;
  kind: 'table' | 'view';
  columns: ColumnInfo[];
  /** Set for tables: keys and foreign keys. */
  table?: TableInfo;
  comment?: string;
  /** Whether the prompt names it without its schema (it is in the default schema). */
  unqualified: boolean;
}

/** Every table and view of the model, in the model's order. */
export function schemaObjects(model: SchemaModel): SchemaObject[] {
  const defaultSchema = askDialectFacts[model.dialect].defaultSchema ?? model.database;
  const withTables = model.schemas.filter((s) => s.tables.length > 0 || s.views.length > 0);
  const unqualified = (schema: string): boolean => schema === defaultSchema || withTables.length === 1;
  const out: SchemaObject[] = [];
  for (const s of model.schemas) {
    for (const t of s.tables) out.push({ schema: t.schema, name: t.name, kind: 'table', columns: t.columns, table: t, comment: t.comment, unqualified: unqualified(t.schema) });
    for (const v of s.views) out.push({ schema: v.schema, name: v.name, kind: 'view', columns: v.columns, comment: v.comment, unqualified: unqualified(v.schema) });
  }
  return out;
}

/** The name as the model should write it: quoted only when it has to be. */
export function quoteIdentifier(name: string, dialect: Dialect): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name)) return name;
  const [open, close] = lexicalFacts[dialect].identifierQuotes[0]!;
  return `${open}${name.split(close).join(close + close)}${close}`;
}

export function objectName(o: Pick<SchemaObject, 'schema' | 'name' | 'unqualified'>, dialect: Dialect): string {
  return o.unqualified ? quoteIdentifier(o.name, dialect) : `${quoteIdentifier(o.schema, dialect)}.${quoteIdentifier(o.name, dialect)}`;
}

/**
 * One object as one line of compact DDL: columns with type, primary key and references, nothing the model does
 * not need to write a query (no indexes, checks or defaults), since every token of schema is a token less of context.
 */
export function compactDdl(o: SchemaObject, dialect: Dialect, all: readonly SchemaObject[]): string {
  const pk = new Set(o.table?.primaryKey?.columns ?? []);
  const singleFk = new Map<string, string>();
  const tableFks: string[] = [];
  for (const fk of o.table?.foreignKeys ?? []) {
    const target = all.find((x) => x.schema === fk.referencedSchema && x.name === fk.referencedTable);
    const targetName = target ? objectName(target, dialect) : `${quoteIdentifier(fk.referencedSchema, dialect)}.${quoteIdentifier(fk.referencedTable, dialect)}`;
    const cols = fk.referencedColumns.map((c) => quoteIdentifier(c, dialect)).join(', ');
    if (fk.columns.length === 1) singleFk.set(fk.columns[0]!, `REFERENCES ${targetName}(${cols})`);
    else tableFks.push(`FOREIGN KEY (${fk.columns.map((c) => quoteIdentifier(c, dialect)).join(', ')}) REFERENCES ${targetName}(${cols})`);
  }
  const parts = o.columns.map((c) => {
    const bits = [quoteIdentifier(c.name, dialect), c.dataType || 'any'];
    if (pk.size === 1 && pk.has(c.name)) bits.push('PRIMARY KEY');
    const ref = singleFk.get(c.name);
    if (ref) bits.push(ref);
    return bits.join(' ');
  });
  if (pk.size > 1) parts.push(`PRIMARY KEY (${[...pk].map((c) => quoteIdentifier(c, dialect)).join(', ')})`);
  parts.push(...tableFks);
  const comment = o.comment ? ` -- ${o.comment.replace(/\s+/g, ' ').slice(0, 200)}` : '';
  return `CREATE ${o.kind === 'view' ? 'VIEW' : 'TABLE'} ${objectName(o, dialect)} (${parts.join(', ')});${comment}`;
}
