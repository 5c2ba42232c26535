import type { Dialect } from './connection';

/**
 * One shape for the schema of any dialect. Introspection of PostgreSQL, MySQL/MariaDB and SQLite all fill it
 * the same way, so the schema tree, completion, the reviewer and the model's prompts need no dialect checks.
 * Names are as the server stores them (no quoting). Optional facts are absent when a dialect has no such thing.
 */
export interface SchemaModel {
  dialect: Dialect;
  serverVersion: string;
  /** The database (PostgreSQL, MySQL) or file (SQLite) that was introspected. */
  database: string;
  schemas: SchemaInfo[];
  /** ISO timestamp of the introspection. */
  introspectedAt: string;
}

export interface SchemaInfo {
  /** PostgreSQL schema, MySQL database, SQLite attached database ('main'). */
  name: string;
  tables: TableInfo[];
  views: ViewInfo[];
  routines: RoutineInfo[];
  sequences: SequenceInfo[];
  /** PostgreSQL enum types; MySQL/SQLite enums live on the column type. */
  enums: EnumInfo[];
}

export interface TableInfo {
  schema: string;
  name: string;
  kind: 'table' | 'partitioned' | 'foreign' | 'virtual';
  comment?: string;
  columns: ColumnInfo[];
  primaryKey?: PrimaryKeyInfo;
  uniqueConstraints: UniqueConstraintInfo[];
  foreignKeys: ForeignKeyInfo[];
  checks: CheckConstraintInfo[];
  indexes: IndexInfo[];
  triggers: TriggerInfo[];
  /** Planner's estimate (pg_class.reltuples, information_schema.tables.table_rows, sqlite_stat1 or a count). */
  estimatedRows?: number;
  /** Bytes on disk including indexes and TOAST where known. */
  sizeBytes?: number;
}

export interface ColumnInfo {
  name: string;
  /** 1-based position. */
  ordinal: number;
  /** The type as the dialect writes it, e.g. 'character varying(40)', 'bigint unsigned', 'TEXT'. */
  dataType: string;
  nullable: boolean;
  /** Default expression as SQL text. */
  default?: string;
  identity?: 'always' | 'by-default' | 'auto-increment';
  /** Expression of a generated column. */
  generated?: { expression: string; stored: boolean };
  comment?: string;
}

export interface PrimaryKeyInfo {
  name?: string;
  columns: string[];
}

export interface UniqueConstraintInfo {
  name?: string;
  columns: string[];
}

export type ReferentialAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export interface ForeignKeyInfo {
  name?: string;
  columns: string[];
  referencedSchema: string;
  referencedTable: string;
  referencedColumns: string[];
  onUpdate: ReferentialAction;
  onDelete: ReferentialAction;
}

export interface CheckConstraintInfo {
  name?: string;
  expression: string;
}

export interface IndexInfo {
  name: string;
  /** Column names, or SQL expressions for expression parts. */
  columns: IndexPart[];
  unique: boolean;
  primary: boolean;
  /** btree, hash, gin, gist, brin, spgist, fulltext, spatial … */
  method: string;
  /** WHERE clause of a partial index. */
  predicate?: string;
  sizeBytes?: number;
}

export type IndexPart = { column: string; descending?: boolean } | { expression: string; descending?: boolean };

export interface ViewInfo {
  schema: string;
  name: string;
  materialized: boolean;
  definition?: string;
  columns: ColumnInfo[];
  comment?: string;
}

export interface TriggerInfo {
  name: string;
  timing: 'before' | 'after' | 'instead of';
  events: ('insert' | 'update' | 'delete' | 'truncate')[];
  definition?: string;
}

export interface RoutineInfo {
  schema: string;
  name: string;
  kind: 'function' | 'procedure' | 'aggregate';
  /** Argument list as the dialect writes it, e.g. '(a integer, b text)'. */
  signature: string;
  returns?: string;
  language?: string;
}

export interface SequenceInfo {
  schema: string;
  name: string;
  dataType?: string;
  /** "schema.table.column" when the sequence is owned by a column. */
  ownedBy?: string;
}

export interface EnumInfo {
  schema: string;
  name: string;
  values: string[];
}
