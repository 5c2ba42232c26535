/**
 * The dialect-neutral view of one parsed statement that rules read. It holds only what the rules need; the raw
 * AST stays on `ast` for the few checks that are dialect-specific.
 */
export type StatementKind =
  | 'create-table'
  | 'alter-table'
  | 'create-index'
  | 'drop-index'
  | 'drop-table'
  | 'drop-schema'
  | 'drop-database'
  | 'rename-table'
  | 'truncate'
  | 'delete'
  | 'update'
  | 'insert'
  | 'select'
  | 'vacuum'
  | 'cluster'
  | 'set'
  | 'begin'
  | 'commit'
  | 'rollback'
  | 'other';

export type ConstraintKind = 'foreign-key' | 'check' | 'unique' | 'primary-key' | 'not-null' | 'exclusion' | 'other';

export interface ConstraintSpec {
  kind: ConstraintKind;
  name?: string;
  /** PostgreSQL NOT VALID: existing rows are not checked, so no long lock is taken. */
  notValid: boolean;
  /** Columns of a table-level PRIMARY KEY, UNIQUE or FOREIGN KEY, in order; empty when not given or not parsed. */
  columns: string[];
  /** PostgreSQL `… USING INDEX idx`: the constraint adopts an index built beforehand. */
  usingIndex?: string;
  /** MySQL's plain INDEX / KEY (kind 'other'), which it lists among a table's definitions and ALTER TABLE … ADD. */
  plainIndex?: boolean;
}

export interface DefaultSpec {
  /** The expression as written, when the parser keeps it; a function name or literal otherwise. */
  text: string;
  /** 'constant' never changes, 'stable' is fixed within a statement (now()), 'volatile' differs per row, 'unknown' when Quarry cannot tell. */
  volatility: 'constant' | 'stable' | 'volatile' | 'unknown';
}

export interface ColumnSpec {
  name: string;
  /** Lower-case type name without schema or modifiers: int4, bigint, timestamp, bpchar, varchar, serial … */
  type: string;
  default?: DefaultSpec;
  notNull: boolean;
  primaryKey: boolean;
  /** Constraints declared inline on the column (REFERENCES, CHECK, UNIQUE …). */
  constraints: ConstraintSpec[];
  /** The column fills itself (PostgreSQL identity or GENERATED … STORED, MySQL GENERATED … AS), so it needs no default. */
  generated?: boolean;
  /** MySQL: a STORED generated column (a VIRTUAL one is computed on read and stored nowhere). */
  generatedStored?: boolean;
  /** MySQL AUTO_INCREMENT. */
  autoIncrement?: boolean;
  /** The type's first modifier: 200 for varchar(200), 12 for numeric(12,2), 3 for timestamp(3); undefined when none is written. */
  length?: number;
  /** The type's second modifier: 2 for numeric(12,2); undefined when none is written. */
  scale?: number;
  /** MySQL UNSIGNED. */
  unsigned?: boolean;
  /** PostgreSQL array type (int[]): the modifiers and name describe the element. */
  array?: boolean;
  /** MySQL ENUM / SET members, in order. */
  values?: string[];
}

export type AlterKind =
  | 'add-column'
  | 'drop-column'
  | 'alter-column-type'
  | 'set-not-null'
  | 'drop-not-null'
  | 'set-default'
  | 'drop-default'
  | 'add-constraint'
  | 'drop-constraint'
  | 'validate-constraint'
  | 'rename-column'
  | 'rename-table'
  | 'algorithm'
  | 'lock'
  | 'other';

export interface AlterCommand {
  kind: AlterKind;
  column?: string;
  /** add-column: the new column; alter-column-type: the new type in `type`. */
  columnSpec?: ColumnSpec;
  constraint?: ConstraintSpec;
  /** rename-column / rename-table: the new name. */
  newName?: string;
  /** MySQL ALGORITHM= / LOCK= value, upper-case. */
  value?: string;
  ifExists?: boolean;
  ifNotExists?: boolean;
  /** MySQL add-column / MODIFY / CHANGE: `FIRST` or `AFTER col` (the column then does not go at the end). */
  position?: { first: true } | { after: string };
}

export interface ParsedStatement {
  kind: StatementKind;
  /**
   * Which library produced `ast`; 'sqlite-keywords' when SQLite accepted a statement only its keywords describe,
   * 'mysql-keywords' for the few MySQL ALTER forms node-sql-parser cannot read (classifyMysqlAlterStatement); no ast.
   */
  parser: 'libpg-query' | 'node-sql-parser' | 'sqlite-keywords' | 'mysql-keywords';
  /** The table the statement acts on, without schema; for DROP TABLE t1, t2 the first, all in `tables`. */
  table?: string;
  tables: string[];
  /** Index, schema or database name for CREATE/DROP INDEX, DROP SCHEMA, DROP DATABASE. */
  objectName?: string;
  concurrently: boolean;
  ifExists: boolean;
  ifNotExists: boolean;
  unique: boolean;
  alterCommands: AlterCommand[];
  /** CREATE TABLE columns. */
  columns: ColumnSpec[];
  /** CREATE TABLE table-level constraints. */
  constraints: ConstraintSpec[];
  /** DELETE / UPDATE: whether a WHERE clause is present. */
  hasWhere: boolean;
  /** VACUUM FULL. */
  full: boolean;
  /** SET name = value (name lower-case). */
  setting?: { name: string; value: string };
  /** CREATE INDEX: the indexed columns in order (expressions left out). */
  indexColumns?: string[];
  /** Identifiers the statement introduces (tables, columns, indexes, constraints) as the parser returns them: PostgreSQL has already truncated them to 63 bytes. */
  newIdentifiers: string[];
  ast: unknown;
}

export function emptyStatement(kind: StatementKind, parser: ParsedStatement['parser'], ast: unknown): ParsedStatement {
  return {
    kind,
    parser,
    tables: [],
    concurrently: false,
    ifExists: false,
    ifNotExists: false,
    unique: false,
    alterCommands: [],
    columns: [],
    constraints: [],
    hasWhere: false,
    full: false,
    newIdentifiers: [],
    ast,
  };
}
