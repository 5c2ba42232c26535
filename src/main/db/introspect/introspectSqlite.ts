import type {
  ColumnInfo,
  ForeignKeyInfo,
  IndexInfo,
  IndexPart,
  SchemaInfo,
  SchemaModel,
  TableInfo,
  TriggerInfo,
  UniqueConstraintInfo,
  ViewInfo,
} from '../../../shared/domain/SchemaModel';
import { catalogBoolean, catalogNumber, catalogReferentialAction, catalogString, compareNames, pushTo, requiredString } from './catalogValues';
import { parseCreateIndex, parseCreateTable, parseCreateTrigger, viewSelect, type SqliteCreateTable, type SqliteNamedKey } from './parseSqliteDdl';
import type { Queryable } from './Queryable';
import { runCatalogQuery } from './runCatalogQuery';

type Row = Record<string, unknown>;

/** Files up to this size get exact COUNT(*)s for tables ANALYZE has not estimated. */
const countLimitBytes = 64 * 1024 * 1024;
/** Files up to this size get per-table sizes from dbstat, which reads every page. */
const dbstatLimitBytes = 256 * 1024 * 1024;
/** SQLITE_MAX_COMPOUND_SELECT defaults to 500. */
const countsPerStatement = 400;

/**
 * Reads the main database of a SQLite file (attached databases are not introspected: the driver opens one file)
 * into the SchemaModel with a fixed set of statements over the table-valued pragmas; what the pragmas do not
 * expose (CHECKs, generated expressions, index expressions and predicates, constraint names, trigger timing) is
 * read from the CREATE text by parseSqliteDdl. INTEGER PRIMARY KEY columns (rowid aliases) are reported as
 * auto-increment since SQLite assigns them, with or without the AUTOINCREMENT keyword.
 *
 * Row counts: sqlite_stat1 when ANALYZE has run; otherwise exact COUNT(*)s, in one compound statement, for files
 * up to 64 MiB; otherwise none. Sizes: dbstat (table plus its indexes) for files up to 256 MiB when SQLite has it.
 */
export async function introspectSqlite(q: Queryable, database: string, serverVersion: string): Promise<SchemaModel> {
  const introspectedAt = new Date().toISOString();
  const objectRows = await runCatalogQuery(q, 'sqlite', 'objects');
  const columnRows = await readColumns(q, objectRows);
  const fkRows = await runCatalogQuery(q, 'sqlite', 'foreignKeys');
  const indexRows = await runCatalogQuery(q, 'sqlite', 'indexes');
  const triggerRows = await runCatalogQuery(q, 'sqlite', 'triggers');
  const [storage = {}] = await runCatalogQuery(q, 'sqlite', 'storage');

  const schema: SchemaInfo = { name: 'main', tables: [], views: [], routines: [], sequences: [], enums: [] };
  const columnsByTable = new Map<string, Row[]>();
  for (const row of columnRows) pushTo(columnsByTable, requiredString(row, 'table_name'), row);

  const tables = new Map<string, TableInfo>();
  const ddlByTable = new Map<string, SqliteCreateTable>();
  for (const row of objectRows) {
    const name = requiredString(row, 'name');
    const type = requiredString(row, 'type');
    const sql = catalogString(row.sql) ?? '';
    const rawColumns = (columnsByTable.get(name) ?? []).filter((c) => catalogNumber(c.hidden) !== 1);
    if (type === 'view') {
      const view: ViewInfo = { schema: 'main', name, materialized: false, columns: rawColumns.map((c) => readColumn(c)) };
      const definition = orElse(() => viewSelect(sql), sql);
      if (definition !== undefined) view.definition = definition;
      schema.views.push(view);
      continue;
    }
    const ddl = type === 'virtual' ? parseCreateTable('') : orElse(() => parseCreateTable(sql), parseCreateTable(''));
    ddlByTable.set(name, ddl);
    const pkColumns = rawColumns
      .filter((c) => (catalogNumber(c.pk) ?? 0) > 0)
      .sort((a, b) => (catalogNumber(a.pk) ?? 0) - (catalogNumber(b.pk) ?? 0));
    const withoutRowid = catalogBoolean(row.without_rowid);
    // A rowid alias is a lone primary key column declared exactly INTEGER in a rowid table.
    const rowidAlias = !withoutRowid && type === 'table' && pkColumns.length === 1 && (catalogString(pkColumns[0]!.type) ?? '').toUpperCase() === 'INTEGER' ? requiredString(pkColumns[0]!, 'name') : undefined;
    const columns = rawColumns.map((c) => {
      const column = readColumn(c, ddl);
      const inPk = (catalogNumber(c.pk) ?? 0) > 0;
      if (column.name === rowidAlias) column.identity = 'auto-increment';
      // SQLite lets NULL into primary key columns of rowid tables (a legacy quirk), except the rowid alias.
      if (column.name === rowidAlias || (withoutRowid && inPk)) column.nullable = false;
      return column;
    });
    const table: TableInfo = {
      schema: 'main',
      name,
      kind: type === 'virtual' ? 'virtual' : 'table',
      columns,
      uniqueConstraints: [],
      foreignKeys: [],
      checks: ddl.checks.map((check) => ({ ...check })),
      indexes: [],
      triggers: [],
    };
    if (pkColumns.length > 0) {
      table.primaryKey = { columns: pkColumns.map((c) => requiredString(c, 'name')) };
      if (ddl.primaryKeyName !== undefined) table.primaryKey.name = ddl.primaryKeyName;
    }
    tables.set(name, table);
    schema.tables.push(table);
  }

  // foreignKeys.sql is ordered by table, id, seq: consecutive rows with the same id form one key.
  let fk: ForeignKeyInfo | undefined;
  let fkKey = '';
  const toParentPk: ForeignKeyInfo[] = [];
  for (const row of fkRows) {
    const table = tables.get(requiredString(row, 'table_name'));
    if (!table) continue;
    const key = `${table.name}\u0000${catalogNumber(row.id) ?? 0}`;
    const to = catalogString(row.to_column);
    if (!fk || fkKey !== key) {
      fk = {
        columns: [],
        referencedSchema: 'main',
        referencedTable: requiredString(row, 'ref_table'),
        referencedColumns: [],
        onUpdate: catalogReferentialAction(row.on_update),
        onDelete: catalogReferentialAction(row.on_delete),
      };
      fkKey = key;
      table.foreignKeys.push(fk);
      if (to === undefined) toParentPk.push(fk);
    }
    fk.columns.push(requiredString(row, 'from_column'));
    if (to !== undefined) fk.referencedColumns.push(to);
  }
  // REFERENCES parent without columns means the parent's primary key, which is only known now.
  for (const key of toParentPk) {
    const parent = [...tables.values()].find((t) => t.name.toLowerCase() === key.referencedTable.toLowerCase());
    key.referencedColumns = parent?.primaryKey?.columns.slice() ?? [];
  }
  for (const table of tables.values()) {
    const ddl = ddlByTable.get(table.name);
    // pragma_foreign_key_list lists keys last-declared first; the model keeps declaration order.
    table.foreignKeys.reverse();
    for (const key of table.foreignKeys) {
      const name = ddl && nameByColumns(ddl.foreignKeyNames, key.columns);
      if (name !== undefined) key.name = name;
    }
  }

  let index: IndexInfo | undefined;
  let indexKey = '';
  let parsedIndex: ReturnType<typeof parseCreateIndex> | undefined;
  for (const row of indexRows) {
    const table = tables.get(requiredString(row, 'table_name'));
    if (!table) continue;
    const name = requiredString(row, 'name');
    const key = `${table.name}\u0000${name}`;
    if (!index || indexKey !== key) {
      const origin = catalogString(row.origin) ?? 'c';
      const sql = catalogString(row.sql);
      parsedIndex = sql === undefined ? undefined : orElse(() => parseCreateIndex(sql), undefined);
      index = { name, columns: [], unique: catalogBoolean(row.is_unique), primary: origin === 'pk', method: 'btree' };
      if (parsedIndex?.where !== undefined) index.predicate = parsedIndex.where;
      indexKey = key;
      table.indexes.push(index);
      if (origin === 'u') {
        const unique: UniqueConstraintInfo = { columns: [] };
        table.uniqueConstraints.push(unique);
      }
    }
    const seqno = catalogNumber(row.seqno) ?? 0;
    const column = catalogString(row.column_name);
    const part: IndexPart = column !== undefined ? { column } : { expression: parsedIndex?.parts[seqno] ?? '?' };
    if (catalogBoolean(row.descending)) part.descending = true;
    index.columns.push(part);
    if (catalogString(row.origin) === 'u' && column !== undefined) table.uniqueConstraints[table.uniqueConstraints.length - 1]!.columns.push(column);
  }
  for (const table of tables.values()) {
    const ddl = ddlByTable.get(table.name);
    for (const unique of table.uniqueConstraints) {
      const name = ddl && nameByColumns(ddl.uniqueNames, unique.columns);
      if (name !== undefined) unique.name = name;
    }
  }

  // Named constraints and indexes in name order as the other dialects give them; unnamed ones (SQLite's only
  // anonymous kind) first, in declaration order, since sort is stable.
  const byName = (a: { name?: string }, b: { name?: string }): number => compareNames(a.name ?? '', b.name ?? '');
  for (const table of tables.values()) {
    table.uniqueConstraints.sort(byName);
    table.foreignKeys.sort(byName);
    table.checks.sort(byName);
    table.indexes.sort(byName);
  }

  for (const row of triggerRows) {
    const table = tables.get(requiredString(row, 'table_name'));
    const sql = catalogString(row.sql);
    if (!table || sql === undefined) continue;
    const parsed = orElse(() => parseCreateTrigger(sql), { timing: 'after', events: [] });
    const trigger: TriggerInfo = { name: requiredString(row, 'name'), timing: parsed.timing, events: parsed.events, definition: sql };
    table.triggers.push(trigger);
  }

  const fileBytes = (catalogNumber(storage.page_count) ?? 0) * (catalogNumber(storage.page_size) ?? 0);
  await addRowCounts(q, tables, catalogBoolean(storage.has_stat1), fileBytes);
  if (fileBytes <= dbstatLimitBytes) await addSizes(q, tables);

  return { dialect: 'sqlite', serverVersion, database, schemas: [schema], introspectedAt };
}

async function readColumns(q: Queryable, objectRows: Row[]): Promise<Row[]> {
  try {
    return await runCatalogQuery(q, 'sqlite', 'columns');
  } catch {
    const rows: Row[] = [];
    for (const object of objectRows) {
      const name = requiredString(object, 'name');
      try {
        rows.push(...(await runCatalogQuery(q, 'sqlite', 'columnsOfTable', [name, name])));
      } catch {
        // This object cannot be described (broken view, missing module): it shows without columns.
      }
    }
    return rows;
  }
}

function readColumn(row: Row, ddl?: SqliteCreateTable): ColumnInfo {
  const name = requiredString(row, 'name');
  const column: ColumnInfo = {
    name,
    ordinal: (catalogNumber(row.cid) ?? 0) + 1,
    dataType: catalogString(row.type) ?? '',
    nullable: !catalogBoolean(row.not_null),
  };
  const hidden = catalogNumber(row.hidden) ?? 0;
  const declared = ddl?.columns.get(name.toLowerCase());
  if ((hidden === 2 || hidden === 3) && declared?.generated) column.generated = { ...declared.generated, stored: hidden === 3 };
  const def = catalogString(row.default_value);
  if (def !== undefined) column.default = def;
  if (declared?.autoincrement) column.identity = 'auto-increment';
  return column;
}

function nameByColumns(named: SqliteNamedKey[], columns: string[]): string | undefined {
  const wanted = columns.map((c) => c.toLowerCase()).join('\u0000');
  return named.find((key) => key.columns.map((c) => c.toLowerCase()).join('\u0000') === wanted)?.name;
}

async function addRowCounts(q: Queryable, tables: Map<string, TableInfo>, hasStat1: boolean, fileBytes: number): Promise<void> {
  if (hasStat1) {
    for (const row of await runCatalogQuery(q, 'sqlite', 'stat1')) {
      const table = tables.get(requiredString(row, 'table_name'));
      const count = catalogNumber(row.row_count);
      if (table && count !== undefined) table.estimatedRows = count;
    }
  }
  if (fileBytes > countLimitBytes) return;
  // Built here rather than a catalog file because it names every table; still one statement per 400 tables.
  const missing = [...tables.values()].filter((t) => t.estimatedRows === undefined && t.kind === 'table');
  for (let i = 0; i < missing.length; i += countsPerStatement) {
    const chunk = missing.slice(i, i + countsPerStatement);
    const sql = chunk.map((t) => `select ${quoteString(t.name)} as table_name, count(*) as row_count from main.${quoteIdent(t.name)}`).join(' union all ');
    try {
      for (const row of (await q.query(sql)).rows) {
        const table = tables.get(requiredString(row, 'table_name'));
        const count = catalogNumber(row.row_count);
        if (table && count !== undefined) table.estimatedRows = count;
      }
    } catch {
      // A counting failure (e.g. a table whose collation is missing) costs the counts, not the schema.
    }
  }
}

async function addSizes(q: Queryable, tables: Map<string, TableInfo>): Promise<void> {
  let rows: Row[];
  try {
    rows = await runCatalogQuery(q, 'sqlite', 'dbstat');
  } catch {
    return; // SQLite built without SQLITE_ENABLE_DBSTAT_VTAB: sizes stay unknown.
  }
  const bytes = new Map<string, number>();
  for (const row of rows) bytes.set(requiredString(row, 'name'), catalogNumber(row.size_bytes) ?? 0);
  for (const table of tables.values()) {
    if (table.kind !== 'table') continue;
    let total = bytes.get(table.name) ?? 0;
    for (const index of table.indexes) {
      const size = bytes.get(index.name);
      if (size !== undefined) {
        index.sizeBytes = size;
        total += size;
      }
    }
    table.sizeBytes = total;
  }
}

/**
 * The DDL readers see text SQLite accepted, but SQLite accepts more than they know: an object they cannot read
 * loses the facts only its text holds (CHECKs, expressions), never the whole introspection.
 */
function orElse<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
