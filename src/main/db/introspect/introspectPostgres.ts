import type {
  CheckConstraintInfo,
  ColumnInfo,
  EnumInfo,
  ForeignKeyInfo,
  IndexInfo,
  IndexPart,
  PrimaryKeyInfo,
  ReferentialAction,
  RoutineInfo,
  SchemaInfo,
  SchemaModel,
  SequenceInfo,
  TableInfo,
  TriggerInfo,
  UniqueConstraintInfo,
  ViewInfo,
} from '../../../shared/domain/SchemaModel';
import { catalogBoolean, catalogJsonArray, catalogNumber, catalogString, compareNames, pushTo, requiredString } from './catalogValues';
import type { Queryable } from './Queryable';
import { runCatalogQuery } from './runCatalogQuery';

type Row = Record<string, unknown>;

const tableKinds: Record<string, TableInfo['kind']> = { r: 'table', p: 'partitioned', f: 'foreign' };

const referentialActions: Record<string, ReferentialAction> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

const routineKinds: Record<string, RoutineInfo['kind']> = { f: 'function', w: 'function', p: 'procedure', a: 'aggregate' };

/**
 * Reads a PostgreSQL database's user schemas from pg_catalog into the SchemaModel. A fixed set of nine set-based
 * queries (catalog/postgres/*.sql) whatever the number of tables, assembled here with Maps: information_schema's
 * views are an order of magnitude slower on large catalogs. A serial column keeps its nextval() default and
 * no `identity`; only SQL identity columns get one. Row estimates and sizes are the planner's statistics
 * (reltuples, relpages × block_size of heap + TOAST + indexes): no file is stat'ed and no lock taken for them.
 * (Deparsing defaults and CHECKs with pg_get_expr does briefly take ACCESS SHARE, as pg_dump does.)
 * Indexes of materialized views and INSTEAD OF triggers on views are left out: the model keeps them on tables.
 */
export async function introspectPostgres(q: Queryable, database: string, serverVersion: string): Promise<SchemaModel> {
  const introspectedAt = new Date().toISOString();
  // Sequential on purpose: one session runs one statement at a time, and queueing gains nothing.
  const schemaRows = await runCatalogQuery(q, 'postgres', 'schemas');
  const relationRows = await runCatalogQuery(q, 'postgres', 'relations');
  const columnRows = await runCatalogQuery(q, 'postgres', 'columns');
  const constraintRows = await runCatalogQuery(q, 'postgres', 'constraints');
  const indexRows = await runCatalogQuery(q, 'postgres', 'indexes');
  const triggerRows = await runCatalogQuery(q, 'postgres', 'triggers');
  const routineRows = await runCatalogQuery(q, 'postgres', 'routines');
  const sequenceRows = await runCatalogQuery(q, 'postgres', 'sequences');
  const enumRows = await runCatalogQuery(q, 'postgres', 'enums');

  const schemas = new Map<string, SchemaInfo>();
  for (const row of schemaRows) {
    const name = requiredString(row, 'name');
    schemas.set(name, { name, tables: [], views: [], routines: [], sequences: [], enums: [] });
  }
  const schemaOf = (name: string): SchemaInfo => {
    let schema = schemas.get(name);
    if (!schema) {
      schema = { name, tables: [], views: [], routines: [], sequences: [], enums: [] };
      schemas.set(name, schema);
    }
    return schema;
  };

  // Column names by relid and attnum, for constraints and indexes that refer to columns by number.
  const columnRowsByRel = new Map<string, { num: number; row: Row }[]>();
  for (const row of columnRows) pushTo(columnRowsByRel, requiredString(row, 'relid'), { num: catalogNumber(row.num) ?? 0, row });
  const columnsByRel = new Map<string, ColumnInfo[]>();
  const attnames = new Map<string, Map<number, string>>();
  for (const [relid, rows] of columnRowsByRel) {
    rows.sort((a, b) => a.num - b.num);
    const names = new Map<number, string>();
    // Dense positions: attnum keeps gaps where columns were dropped.
    const columns = rows.map(({ num, row }, i) => {
      const column = readColumn(row, i + 1);
      names.set(num, column.name);
      return column;
    });
    columnsByRel.set(relid, columns);
    attnames.set(relid, names);
  }
  const attname = (relid: string, num: number): string => attnames.get(relid)?.get(num) ?? `#${num}`;

  const tables = new Map<string, TableInfo>();
  for (const row of relationRows) {
    const relid = requiredString(row, 'oid');
    const schema = schemaOf(requiredString(row, 'schema'));
    const name = requiredString(row, 'name');
    const kind = requiredString(row, 'kind');
    const comment = catalogString(row.comment);
    const columns = columnsByRel.get(relid) ?? [];
    if (kind === 'v' || kind === 'm') {
      const view: ViewInfo = { schema: schema.name, name, materialized: kind === 'm', columns };
      const definition = catalogString(row.definition);
      if (definition !== undefined) view.definition = definition.trim();
      if (comment !== undefined) view.comment = comment;
      schema.views.push(view);
      continue;
    }
    const table: TableInfo = {
      schema: schema.name,
      name,
      kind: tableKinds[kind] ?? 'table',
      columns,
      uniqueConstraints: [],
      foreignKeys: [],
      checks: [],
      indexes: [],
      triggers: [],
    };
    if (comment !== undefined) table.comment = comment;
    const reltuples = catalogNumber(row.reltuples);
    // -1 means never vacuumed or analyzed: no estimate rather than a wrong one.
    if (reltuples !== undefined && reltuples >= 0) table.estimatedRows = Math.round(reltuples);
    const size = catalogNumber(row.heap_bytes);
    if (size !== undefined) table.sizeBytes = size; // indexes are added below
    tables.set(relid, table);
    schema.tables.push(table);
  }

  for (const row of constraintRows) {
    const table = tables.get(requiredString(row, 'relid'));
    if (!table) continue;
    const relid = requiredString(row, 'relid');
    const name = requiredString(row, 'name');
    const columns = catalogJsonArray<number>(row.columns).map((num) => attname(relid, num));
    switch (requiredString(row, 'type')) {
      case 'p': {
        const pk: PrimaryKeyInfo = { name, columns };
        table.primaryKey = pk;
        break;
      }
      case 'u': {
        const unique: UniqueConstraintInfo = { name, columns };
        table.uniqueConstraints.push(unique);
        break;
      }
      case 'f': {
        const refRelid = requiredString(row, 'ref_relid');
        const fk: ForeignKeyInfo = {
          name,
          columns,
          referencedSchema: requiredString(row, 'ref_schema'),
          referencedTable: requiredString(row, 'ref_table'),
          referencedColumns: catalogJsonArray<number>(row.ref_columns).map((num) => attname(refRelid, num)),
          onUpdate: referentialActions[catalogString(row.on_update) ?? 'a'] ?? 'no action',
          onDelete: referentialActions[catalogString(row.on_delete) ?? 'a'] ?? 'no action',
        };
        table.foreignKeys.push(fk);
        break;
      }
      case 'c': {
        const check: CheckConstraintInfo = { name, expression: requiredString(row, 'check_expr') };
        table.checks.push(check);
        break;
      }
    }
  }

  for (const row of indexRows) {
    const relid = requiredString(row, 'relid');
    const table = tables.get(relid);
    if (!table) continue; // materialized view indexes: the model keeps indexes on tables only
    const keyCount = catalogNumber(row.key_count) ?? 0;
    const keys = catalogJsonArray<number>(row.keys);
    const options = catalogJsonArray<number>(row.options);
    const keyDefs = catalogJsonArray<string>(row.key_defs);
    const columns: IndexPart[] = [];
    for (let i = 0; i < keyCount; i++) {
      const num = keys[i] ?? 0;
      const descending = ((options[i] ?? 0) & 1) === 1;
      const part: IndexPart = num === 0 ? { expression: keyDefs[i] ?? '?' } : { column: attname(relid, num) };
      if (descending) part.descending = true;
      columns.push(part);
    }
    const index: IndexInfo = {
      name: requiredString(row, 'name'),
      columns,
      unique: catalogBoolean(row.is_unique),
      primary: catalogBoolean(row.is_primary),
      method: requiredString(row, 'method'),
    };
    const predicate = catalogString(row.predicate);
    if (predicate !== undefined) index.predicate = predicate;
    const size = catalogNumber(row.size_bytes);
    if (size !== undefined) {
      index.sizeBytes = size;
      if (table.sizeBytes !== undefined) table.sizeBytes += size;
    }
    table.indexes.push(index);
  }

  const byName = (a: { name?: string }, b: { name?: string }): number => compareNames(a.name ?? '', b.name ?? '');
  for (const table of tables.values()) {
    table.uniqueConstraints.sort(byName);
    table.foreignKeys.sort(byName);
    table.checks.sort(byName);
    table.indexes.sort(byName);
  }

  for (const row of triggerRows) {
    const table = tables.get(requiredString(row, 'relid'));
    if (!table) continue; // INSTEAD OF triggers on views: ViewInfo has no triggers
    const type = catalogNumber(row.type) ?? 0;
    const events: TriggerInfo['events'] = [];
    if (type & 4) events.push('insert');
    if (type & 16) events.push('update');
    if (type & 8) events.push('delete');
    if (type & 32) events.push('truncate');
    const trigger: TriggerInfo = {
      name: requiredString(row, 'name'),
      timing: type & 64 ? 'instead of' : type & 2 ? 'before' : 'after',
      events,
    };
    const definition = catalogString(row.definition);
    if (definition !== undefined) trigger.definition = definition;
    table.triggers.push(trigger);
  }

  for (const row of routineRows) {
    const schema = schemaOf(requiredString(row, 'schema'));
    const routine: RoutineInfo = {
      schema: schema.name,
      name: requiredString(row, 'name'),
      kind: routineKinds[requiredString(row, 'kind')] ?? 'function',
      signature: `(${catalogString(row.arguments) ?? ''})`,
    };
    const returns = catalogString(row.result);
    if (returns !== undefined) routine.returns = returns;
    const language = catalogString(row.language);
    if (language !== undefined) routine.language = language;
    schema.routines.push(routine);
  }

  for (const row of sequenceRows) {
    const schema = schemaOf(requiredString(row, 'schema'));
    const sequence: SequenceInfo = { schema: schema.name, name: requiredString(row, 'name') };
    const dataType = catalogString(row.data_type);
    if (dataType !== undefined) sequence.dataType = dataType;
    const ownerTable = catalogString(row.owner_table);
    if (ownerTable !== undefined) {
      sequence.ownedBy = `${catalogString(row.owner_schema) ?? ''}.${ownerTable}.${catalogString(row.owner_column) ?? ''}`;
    }
    schema.sequences.push(sequence);
  }

  for (const row of enumRows) {
    const schema = schemaOf(requiredString(row, 'schema'));
    const enumInfo: EnumInfo = {
      schema: schema.name,
      name: requiredString(row, 'name'),
      values: catalogJsonArray<string>(row.labels),
    };
    schema.enums.push(enumInfo);
  }

  return {
    dialect: 'postgres',
    serverVersion,
    database,
    schemas: [...schemas.values()].sort((a, b) => compareNames(a.name, b.name)),
    introspectedAt,
  };
}

function readColumn(row: Row, ordinal: number): ColumnInfo {
  const column: ColumnInfo = {
    name: requiredString(row, 'name'),
    ordinal,
    dataType: requiredString(row, 'data_type'),
    nullable: !catalogBoolean(row.not_null),
  };
  const expression = catalogString(row.default_expr);
  const generated = catalogString(row.generated) ?? '';
  // attgenerated 's' keeps the generation expression in pg_attrdef, where defaults live too.
  if (generated !== '' && expression !== undefined) column.generated = { expression, stored: generated === 's' };
  else if (expression !== undefined) column.default = expression;
  const identity = catalogString(row.identity) ?? '';
  if (identity === 'a') column.identity = 'always';
  else if (identity === 'd') column.identity = 'by-default';
  const comment = catalogString(row.comment);
  if (comment !== undefined) column.comment = comment;
  return column;
}
