import { emptyStatement, type AlterCommand, type ColumnSpec, type ConstraintSpec, type DefaultSpec, type ParsedStatement } from './ParsedStatement';

/* node-sql-parser's AST differs between statement types and versions; it is walked loosely. */
type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const VOLATILE_FUNCTIONS = new Set(['rand', 'uuid', 'uuid_short', 'sysdate', 'random', 'randomblob']);
const STABLE_FUNCTIONS = new Set(['current_timestamp', 'now', 'current_date', 'current_time', 'localtimestamp', 'localtime', 'utc_timestamp']);

function tableName(t: Node | string | undefined | null): string | undefined {
  if (!t) return undefined;
  if (typeof t === 'string') return t;
  return t.table ?? undefined;
}

function columnName(c: Node | undefined): string | undefined {
  if (!c) return undefined;
  const col = c.column;
  if (typeof col === 'string') return col;
  return col?.expr?.value ?? col?.value ?? undefined;
}

function defaultSpec(v: Node | undefined): DefaultSpec | undefined {
  if (!v) return undefined;
  const e = v.value ?? v;
  if (e.type === 'function') {
    const name = String(e.name?.name?.[0]?.value ?? e.name ?? '').toLowerCase();
    const volatility = VOLATILE_FUNCTIONS.has(name) ? 'volatile' : STABLE_FUNCTIONS.has(name) ? 'stable' : 'unknown';
    return { text: `${name}()`, volatility };
  }
  if (['number', 'single_quote_string', 'double_quote_string', 'bool', 'null', 'string'].includes(e.type)) return { text: String(e.value), volatility: 'constant' };
  return { text: String(e.type ?? 'expression'), volatility: 'unknown' };
}

function constraintKind(type: string | undefined): ConstraintSpec['kind'] {
  const t = (type ?? '').toLowerCase();
  if (t.includes('foreign')) return 'foreign-key';
  if (t.includes('primary')) return 'primary-key';
  if (t.includes('unique')) return 'unique';
  if (t.includes('check')) return 'check';
  return 'other';
}

function constraintColumns(def: Node): string[] {
  const list = Array.isArray(def.definition) ? (def.definition as Node[]) : [];
  return list.map((c) => columnName(c)).filter((c): c is string => Boolean(c));
}

function columnSpec(d: Node): ColumnSpec {
  const constraints: ConstraintSpec[] = [];
  if (d.reference_definition) constraints.push({ kind: 'foreign-key', notValid: false, columns: [] });
  if (d.unique || d.unique_or_primary === 'unique') constraints.push({ kind: 'unique', notValid: false, columns: [] });
  if (d.check) constraints.push({ kind: 'check', notValid: false, columns: [] });
  const type: Node = d.definition ?? {};
  const suffix: unknown[] = Array.isArray(type.suffix) ? type.suffix : [];
  const members: Node[] | undefined = Array.isArray(type.expr?.value) ? type.expr.value : undefined;
  const spec: ColumnSpec = {
    name: columnName(d.column) ?? '',
    type: String(type.dataType ?? '').toLowerCase(),
    default: defaultSpec(d.default_val),
    notNull: d.nullable?.type === 'not null',
    primaryKey: Boolean(d.primary_key) || d.unique_or_primary === 'primary key',
    constraints,
  };
  if (typeof type.length === 'number') spec.length = type.length;
  if (typeof type.scale === 'number') spec.scale = type.scale;
  if (suffix.some((x) => String(x).toUpperCase() === 'UNSIGNED')) spec.unsigned = true;
  if (members) spec.values = members.map((m) => String(m.value ?? ''));
  if (d.generated) spec.generated = true;
  if (d.generated && String(d.generated.storage_type ?? '').toLowerCase() === 'stored') spec.generatedStored = true;
  if (d.auto_increment) spec.autoIncrement = true;
  return spec;
}

/** MySQL `FIRST` / `AFTER col` on ADD COLUMN, MODIFY and CHANGE. */
function columnPosition(e: Node): AlterCommand['position'] {
  const keyword = String(e.suffix?.keyword ?? '').toUpperCase();
  if (keyword === 'FIRST') return { first: true };
  const after = keyword === 'AFTER' ? columnName(e.suffix.expr) : undefined;
  return after ? { after } : undefined;
}

function alterCommand(e: Node): AlterCommand {
  const action = String(e.action ?? '').toLowerCase();
  const resource = String(e.resource ?? '').toLowerCase();
  if (resource === 'algorithm') return { kind: 'algorithm', value: String(e.algorithm ?? '').toUpperCase() };
  if (resource === 'lock') return { kind: 'lock', value: String(e.lock ?? '').toUpperCase() };
  // No AlterKind names table options; the engine is kept as ENGINE=<NAME> because ENGINE=InnoDB on an InnoDB table is a rebuild in place, another engine a copy.
  if (resource === 'engine') return { kind: 'other', value: `ENGINE=${String(e.engine ?? '').toUpperCase()}` };
  if (resource === 'column') {
    if (action === 'add') {
      const spec = columnSpec(e);
      return { kind: 'add-column', column: spec.name, columnSpec: spec, ifNotExists: Boolean(e.if_not_exists), position: columnPosition(e) };
    }
    if (action === 'drop') return { kind: 'drop-column', column: columnName(e.column), ifExists: Boolean(e.if_exists) };
    if (action === 'rename') return { kind: 'rename-column', column: columnName(e.old_column), newName: columnName(e.column) };
    if (action === 'modify' || action === 'change') {
      const spec = columnSpec(e);
      const renamed = action === 'change' ? columnName(e.old_column) : undefined;
      return { kind: 'alter-column-type', column: renamed ?? spec.name, columnSpec: spec, newName: renamed && renamed !== spec.name ? spec.name : undefined, position: columnPosition(e) };
    }
  }
  if (resource === 'table' && action === 'rename') return { kind: 'rename-table', newName: tableName(e.table) };
  if (resource === 'key' && action === 'drop' && String(e.keyword ?? '').toLowerCase() === 'primary key') return { kind: 'drop-constraint', constraint: { kind: 'primary-key', notValid: false, columns: [] } };
  if (resource === 'constraint' || resource === 'index') {
    // ADD CONSTRAINT / UNIQUE KEY nest their definition; ADD INDEX and DROP INDEX carry it on the command itself.
    const def: Node = e.create_definitions ?? e;
    const spec: ConstraintSpec = { kind: constraintKind(def.constraint_type), name: def.constraint ?? def.index ?? undefined, notValid: false, columns: constraintColumns(def) };
    if (resource === 'index' && !def.constraint_type) spec.plainIndex = true;
    if (action === 'add') return { kind: 'add-constraint', constraint: spec };
    if (action === 'drop') return { kind: 'drop-constraint', constraint: spec };
  }
  return { kind: 'other' };
}

/** Turns one node-sql-parser statement (MySQL, MariaDB or SQLite) into Quarry's view of it. */
export function normalizeSqlParser(n: Node): ParsedStatement {
  const p = (kind: ParsedStatement['kind']): ParsedStatement => emptyStatement(kind, 'node-sql-parser', n);
  const type = String(n.type ?? '').toLowerCase();
  const keyword = String(n.keyword ?? '').toLowerCase();
  const ifExists = String(n.prefix ?? '').toLowerCase() === 'if exists';
  if (type === 'create' && keyword === 'table') {
    const s = p('create-table');
    s.tables = ((n.table as Node[]) ?? []).map(tableName).filter((t): t is string => Boolean(t));
    s.table = s.tables[0];
    s.ifNotExists = Boolean(n.if_not_exists);
    const defs: Node[] = n.create_definitions ?? [];
    s.columns = defs.filter((d) => d.resource === 'column').map(columnSpec);
    s.constraints = defs
      .filter((d) => d.resource === 'constraint' || d.resource === 'index')
      .map((d): ConstraintSpec => ({ kind: constraintKind(d.constraint_type), name: d.constraint ?? d.index ?? undefined, notValid: false, columns: constraintColumns(d), ...(d.resource === 'index' ? { plainIndex: true } : {}) }));
    s.newIdentifiers = [...s.tables, ...s.columns.map((c) => c.name), ...s.constraints.flatMap((c) => (c.name ? [c.name] : []))];
    return s;
  }
  if (type === 'create' && keyword === 'index') {
    const s = p('create-index');
    s.table = tableName(n.table);
    s.tables = s.table ? [s.table] : [];
    // MySQL gives the index name as a string, SQLite as { schema, name }.
    const index: unknown = typeof n.index === 'string' ? n.index : n.index?.name;
    s.objectName = typeof index === 'string' ? index : undefined;
    s.unique = String(n.index_type ?? '').toLowerCase() === 'unique';
    s.indexColumns = ((n.index_columns as Node[] | undefined) ?? []).map((c) => columnName(c)).filter((c): c is string => Boolean(c));
    s.ifNotExists = Boolean(n.if_not_exists);
    if (n.algorithm_option) s.alterCommands.push({ kind: 'algorithm', value: String(n.algorithm_option.algorithm ?? '').toUpperCase() });
    if (n.lock_option) s.alterCommands.push({ kind: 'lock', value: String(n.lock_option.lock ?? '').toUpperCase() });
    s.newIdentifiers = s.objectName ? [s.objectName] : [];
    return s;
  }
  if (type === 'alter' && Array.isArray(n.table)) {
    const s = p('alter-table');
    s.table = tableName(n.table[0]);
    s.tables = s.table ? [s.table] : [];
    s.alterCommands = ((n.expr as Node[]) ?? []).map(alterCommand);
    s.newIdentifiers = s.alterCommands.flatMap((c) => [
      ...((c.kind === 'add-column' || c.kind === 'rename-column') && (c.newName ?? c.column) ? [(c.newName ?? c.column) as string] : []),
      ...(c.constraint?.name && c.kind === 'add-constraint' ? [c.constraint.name] : []),
      ...(c.kind === 'rename-table' && c.newName ? [c.newName] : []),
    ]);
    return s;
  }
  if (type === 'drop') {
    if (keyword === 'table') {
      const s = p('drop-table');
      s.tables = ((n.name as Node[]) ?? []).map(tableName).filter((t): t is string => Boolean(t));
      s.table = s.tables[0];
      s.ifExists = ifExists;
      return s;
    }
    if (keyword === 'index') {
      const s = p('drop-index');
      s.objectName = columnName(n.name) ?? (typeof n.name === 'string' ? n.name : undefined);
      s.table = tableName(n.table);
      s.tables = s.table ? [s.table] : [];
      s.ifExists = ifExists;
      return s;
    }
    if (keyword === 'database' || keyword === 'schema') {
      // MySQL's SCHEMA is a synonym of DATABASE.
      const s = p('drop-database');
      s.objectName = typeof n.name === 'string' ? n.name : undefined;
      s.ifExists = ifExists;
      return s;
    }
    return p('other');
  }
  if (type === 'rename') {
    const s = p('rename-table');
    const pairs: Node[][] = n.table ?? [];
    s.tables = pairs.map((pair) => tableName(pair[0])).filter((t): t is string => Boolean(t));
    s.table = s.tables[0];
    s.alterCommands = pairs.map((pair) => ({ kind: 'rename-table', newName: tableName(pair[1]) }));
    s.newIdentifiers = s.alterCommands.flatMap((c) => (c.newName ? [c.newName] : []));
    return s;
  }
  if (type === 'truncate') {
    const s = p('truncate');
    s.tables = ((n.name as Node[]) ?? []).map(tableName).filter((t): t is string => Boolean(t));
    s.table = s.tables[0];
    return s;
  }
  if (type === 'delete' || type === 'update') {
    const s = p(type);
    s.tables = ((n.table as Node[]) ?? []).map(tableName).filter((t): t is string => Boolean(t));
    s.table = s.tables[0];
    s.hasWhere = n.where !== null && n.where !== undefined;
    return s;
  }
  if (type === 'insert' || type === 'replace') return p('insert');
  if (type === 'select') return p('select');
  if (type === 'set') {
    const s = p('set');
    const first: Node | undefined = (n.expr as Node[] | undefined)?.[0];
    const name = first?.left?.name;
    if (name) s.setting = { name: String(name).toLowerCase(), value: String(first?.right?.value ?? '') };
    return s;
  }
  if (type === 'transaction') {
    const what = String(n.expr?.action?.value ?? n.expr?.type ?? '').toLowerCase();
    return p(what.includes('commit') ? 'commit' : what.includes('rollback') ? 'rollback' : 'begin');
  }
  return p('other');
}
