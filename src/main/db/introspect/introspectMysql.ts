import type {
  ColumnInfo,
  ForeignKeyInfo,
  IndexInfo,
  IndexPart,
  RoutineInfo,
  SchemaInfo,
  SchemaModel,
  TableInfo,
  TriggerInfo,
  ViewInfo,
} from '../../../shared/domain/SchemaModel';
import { catalogBoolean, catalogNumber, catalogReferentialAction, catalogString, compareNames, pushTo, requiredString } from './catalogValues';
import type { Queryable } from './Queryable';
import { runCatalogQuery } from './runCatalogQuery';

type Row = Record<string, unknown>;

/**
 * Which catalog files a server understands. MariaDB keys CHECK names by table and has no functional indexes;
 * MySQL 8.0.16+ has check_constraints without table_name and statistics.expression; MySQL 5.7 has neither
 * (and ignores CHECK clauses), so its checks are left empty.
 */
interface MysqlFlavour {
  mariadb: boolean;
  checksQuery?: 'checks' | 'checksMariadb';
  indexesQuery: 'indexes' | 'indexesMysql8';
}

export function mysqlFlavour(serverVersion: string): MysqlFlavour {
  if (/mariadb/i.test(serverVersion)) return { mariadb: true, checksQuery: 'checksMariadb', indexesQuery: 'indexes' };
  const [major = 0, minor = 0, patch = 0] = (serverVersion.match(/^(\d+)\.(\d+)\.(\d+)/) ?? []).slice(1).map(Number);
  const version = major * 10_000 + minor * 100 + patch;
  return {
    mariadb: false,
    checksQuery: version >= 80_016 ? 'checks' : undefined,
    indexesQuery: version >= 80_013 ? 'indexesMysql8' : 'indexes',
  };
}

/** Numeric column types whose MySQL 8 defaults are valid SQL unquoted. */
const unquotedDefaultTypes = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'decimal', 'numeric', 'float', 'double', 'real', 'bit', 'year']);

/**
 * Reads one MySQL or MariaDB database (the `database` argument, which is also the one schema of the model) from
 * information_schema: ten set-based queries whatever the number of tables, assembled with Maps.
 * Sizes are data_length + index_length and row counts InnoDB's estimates; both can lag behind until ANALYZE TABLE.
 */
export async function introspectMysql(q: Queryable, database: string, serverVersion: string): Promise<SchemaModel> {
  const introspectedAt = new Date().toISOString();
  const flavour = mysqlFlavour(serverVersion);
  const params = [database];
  const tableRows = await runCatalogQuery(q, 'mysql', 'tables', params);
  const columnRows = await runCatalogQuery(q, 'mysql', 'columns', params);
  const keyRows = await runCatalogQuery(q, 'mysql', 'keyConstraints', params);
  const checkRows = flavour.checksQuery ? await runCatalogQuery(q, 'mysql', flavour.checksQuery, params) : [];
  const indexRows = await runCatalogQuery(q, 'mysql', flavour.indexesQuery, params);
  const viewRows = await runCatalogQuery(q, 'mysql', 'views', params);
  const triggerRows = await runCatalogQuery(q, 'mysql', 'triggers', params);
  const routineRows = await runCatalogQuery(q, 'mysql', 'routines', params);
  const parameterRows = await runCatalogQuery(q, 'mysql', 'parameters', params);

  const schema: SchemaInfo = { name: database, tables: [], views: [], routines: [], sequences: [], enums: [] };

  const columnsByTable = new Map<string, ColumnInfo[]>();
  for (const row of columnRows) pushTo(columnsByTable, requiredString(row, 'table_name'), readColumn(row, flavour));

  const definitions = new Map<string, string>();
  for (const row of viewRows) {
    const definition = catalogString(row.definition);
    if (definition !== undefined) definitions.set(requiredString(row, 'name'), definition);
  }

  const tables = new Map<string, TableInfo>();
  for (const row of tableRows) {
    const name = requiredString(row, 'name');
    const type = requiredString(row, 'table_type').toUpperCase();
    if (type === 'SEQUENCE') {
      schema.sequences.push({ schema: database, name });
      continue;
    }
    const columns = columnsByTable.get(name) ?? [];
    if (type === 'VIEW' || type === 'SYSTEM VIEW') {
      const view: ViewInfo = { schema: database, name, materialized: false, columns };
      const definition = definitions.get(name);
      if (definition !== undefined) view.definition = definition;
      schema.views.push(view);
      continue;
    }
    const createOptions = catalogString(row.create_options) ?? '';
    const table: TableInfo = {
      schema: database,
      name,
      kind: /partitioned/i.test(createOptions) ? 'partitioned' : 'table',
      columns,
      uniqueConstraints: [],
      foreignKeys: [],
      checks: [],
      indexes: [],
      triggers: [],
    };
    const comment = catalogString(row.comment);
    if (comment) table.comment = comment;
    const rows = catalogNumber(row.table_rows);
    if (rows !== undefined) table.estimatedRows = rows;
    const size = catalogNumber(row.size_bytes);
    if (size !== undefined) table.sizeBytes = size;
    tables.set(name, table);
    schema.tables.push(table);
  }

  // keyConstraints.sql returns one row per column, ordered, so consecutive rows with the same key build one constraint.
  let current: { key: string; columns: string[]; refColumns: string[] } | undefined;
  for (const row of keyRows) {
    const table = tables.get(requiredString(row, 'table_name'));
    if (!table) continue;
    const name = requiredString(row, 'name');
    const key = `${table.name}\u0000${name}`;
    const column = requiredString(row, 'column_name');
    const refColumn = catalogString(row.ref_column);
    if (current?.key === key) {
      current.columns.push(column);
      if (refColumn !== undefined) current.refColumns.push(refColumn);
      continue;
    }
    current = { key, columns: [column], refColumns: refColumn === undefined ? [] : [refColumn] };
    const type = requiredString(row, 'type').toUpperCase();
    if (type === 'PRIMARY KEY') {
      table.primaryKey = { name, columns: current.columns };
    } else if (type === 'UNIQUE') {
      table.uniqueConstraints.push({ name, columns: current.columns });
    } else {
      const fk: ForeignKeyInfo = {
        name,
        columns: current.columns,
        referencedSchema: catalogString(row.ref_schema) ?? database,
        referencedTable: requiredString(row, 'ref_table'),
        referencedColumns: current.refColumns,
        onUpdate: catalogReferentialAction(row.on_update),
        onDelete: catalogReferentialAction(row.on_delete),
      };
      table.foreignKeys.push(fk);
    }
  }

  for (const row of checkRows) {
    const table = tables.get(requiredString(row, 'table_name'));
    if (!table) continue;
    table.checks.push({ name: requiredString(row, 'name'), expression: requiredString(row, 'check_clause') });
  }

  let index: IndexInfo | undefined;
  let indexKey = '';
  for (const row of indexRows) {
    const table = tables.get(requiredString(row, 'table_name'));
    if (!table) continue;
    const name = requiredString(row, 'name');
    const key = `${table.name}\u0000${name}`;
    if (!index || indexKey !== key) {
      index = {
        name,
        columns: [],
        unique: !catalogBoolean(row.non_unique),
        primary: name === 'PRIMARY',
        method: (catalogString(row.index_type) ?? 'BTREE').toLowerCase(),
      };
      indexKey = key;
      table.indexes.push(index);
    }
    const column = catalogString(row.column_name);
    const part: IndexPart = column !== undefined ? { column } : { expression: catalogString(row.expression) ?? '?' };
    if (catalogString(row.collation) === 'D') part.descending = true;
    index.columns.push(part);
  }

  for (const row of triggerRows) {
    const table = tables.get(requiredString(row, 'table_name'));
    if (!table) continue;
    const timing = requiredString(row, 'timing').toLowerCase();
    const trigger: TriggerInfo = {
      name: requiredString(row, 'name'),
      timing: timing === 'before' ? 'before' : 'after',
      events: [requiredString(row, 'event').toLowerCase() as TriggerInfo['events'][number]],
    };
    const statement = catalogString(row.statement);
    if (statement !== undefined) trigger.definition = statement;
    table.triggers.push(trigger);
  }

  const parametersByRoutine = new Map<string, Row[]>();
  for (const row of parameterRows) pushTo(parametersByRoutine, requiredString(row, 'specific_name'), row);
  for (const row of routineRows) {
    const isProcedure = requiredString(row, 'routine_type').toUpperCase() === 'PROCEDURE';
    const args = (parametersByRoutine.get(requiredString(row, 'specific_name')) ?? [])
      .filter((p) => (catalogNumber(p.ordinal) ?? 0) > 0 && (catalogString(p.routine_type) ?? '').toUpperCase() === (isProcedure ? 'PROCEDURE' : 'FUNCTION'))
      .map((p) => {
        const mode = (catalogString(p.mode) ?? 'IN').toUpperCase();
        // Written like pg_get_function_arguments: a procedure's modes are all spelled out, a function's never.
        const prefix = isProcedure ? `${mode} ` : '';
        return `${prefix}${catalogString(p.name) ?? ''} ${catalogString(p.data_type) ?? ''}`.trim();
      });
    const routine: RoutineInfo = {
      schema: database,
      name: requiredString(row, 'name'),
      kind: isProcedure ? 'procedure' : 'function',
      signature: `(${args.join(', ')})`,
    };
    const returns = catalogString(row.returns);
    if (returns && !isProcedure) routine.returns = returns;
    const language = catalogString(row.body_language);
    if (language) routine.language = language.toLowerCase();
    schema.routines.push(routine);
  }

  const byName = (a: { name?: string }, b: { name?: string }): number => compareNames(a.name ?? '', b.name ?? '');
  for (const table of schema.tables) {
    table.uniqueConstraints.sort(byName);
    table.foreignKeys.sort(byName);
    table.checks.sort(byName);
    table.indexes.sort(byName);
  }
  schema.tables.sort((a, b) => compareNames(a.name, b.name));
  schema.views.sort((a, b) => compareNames(a.name, b.name));
  schema.sequences.sort((a, b) => compareNames(a.name, b.name));
  schema.routines.sort((a, b) => compareNames(a.name, b.name));
  return { dialect: 'mysql', serverVersion, database, schemas: [schema], introspectedAt };
}

function readColumn(row: Row, flavour: MysqlFlavour): ColumnInfo {
  const extra = catalogString(row.extra) ?? '';
  const column: ColumnInfo = {
    name: requiredString(row, 'name'),
    ordinal: catalogNumber(row.ordinal) ?? 0,
    dataType: requiredString(row, 'column_type'),
    nullable: (catalogString(row.is_nullable) ?? '').toUpperCase() === 'YES',
  };
  const generated = extra.match(/\b(VIRTUAL|STORED|PERSISTENT) GENERATED\b/i);
  const expression = catalogString(row.generation_expression);
  if (generated && expression) {
    column.generated = { expression, stored: generated[1]!.toUpperCase() !== 'VIRTUAL' };
  } else {
    const def = defaultExpression(row, extra, flavour);
    if (def !== undefined) column.default = def;
  }
  if (/\bauto_increment\b/i.test(extra)) column.identity = 'auto-increment';
  const comment = catalogString(row.comment);
  if (comment) column.comment = comment;
  return column;
}

/**
 * MariaDB 10.2.7+ reports defaults as SQL ('abc' quoted, NULL as the word NULL); MySQL reports a literal's bare
 * value and marks expressions DEFAULT_GENERATED, so literals of non-numeric types are quoted here to give SQL text
 * on both. An explicit DEFAULT NULL is treated as no default, as PostgreSQL does.
 */
function defaultExpression(row: Row, extra: string, flavour: MysqlFlavour): string | undefined {
  const raw = catalogString(row.column_default);
  if (raw === undefined) return undefined;
  if (flavour.mariadb) return raw.toUpperCase() === 'NULL' ? undefined : raw;
  if (/DEFAULT_GENERATED/i.test(extra) || /^current_timestamp/i.test(raw)) return raw;
  const type = (catalogString(row.data_type) ?? '').toLowerCase();
  if (unquotedDefaultTypes.has(type)) return raw;
  return `'${raw.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
