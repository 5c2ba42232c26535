import { emptyStatement, type AlterCommand, type ColumnSpec, type ConstraintSpec, type DefaultSpec, type ParsedStatement } from './ParsedStatement';

/* libpg-query's JSON AST is PostgreSQL's own node tree; it is walked loosely because only a few fields matter. */
type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Functions whose result is fixed within a statement: PostgreSQL 11+ adds such a default without a rewrite. */
const STABLE_FUNCTIONS = new Set(['now', 'statement_timestamp', 'transaction_timestamp', 'current_setting', 'current_database', 'current_schema', 'current_user', 'session_user', 'to_timestamp', 'timezone', 'lower', 'upper', 'coalesce', 'jsonb_build_object', 'json_build_object', 'array_length']);

/** Functions known to return a different value per row: PostgreSQL rewrites the table to fill them in. */
const VOLATILE_FUNCTIONS = new Set(['random', 'clock_timestamp', 'timeofday', 'gen_random_uuid', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4', 'uuidv4', 'uuidv7', 'nextval', 'setseed', 'txid_current', 'pg_current_xact_id']);

function sval(n: Node | undefined): string {
  return n?.String?.sval ?? '';
}

function typeName(t: Node | undefined): string {
  const names: Node[] = t?.names ?? [];
  const last = names.length ? sval(names[names.length - 1]) : '';
  return last.toLowerCase();
}

function defaultSpec(expr: Node): DefaultSpec {
  const volatility = exprVolatility(expr);
  return { text: describeExpr(expr), volatility };
}

function describeExpr(e: Node): string {
  if (e.FuncCall) return `${(e.FuncCall.funcname as Node[]).map(sval).join('.')}()`;
  if (e.A_Const) return 'constant';
  if (e.SQLValueFunction) return String(e.SQLValueFunction.op ?? 'sql value').replace(/^SVFOP_/, '').toLowerCase();
  if (e.TypeCast) return describeExpr(e.TypeCast.arg);
  return Object.keys(e)[0] ?? 'expression';
}

function exprVolatility(e: Node | undefined): DefaultSpec['volatility'] {
  if (!e) return 'constant';
  if (e.A_Const) return 'constant';
  if (e.TypeCast) return exprVolatility(e.TypeCast.arg);
  if (e.SQLValueFunction) return 'stable';
  if (e.FuncCall) {
    const names = (e.FuncCall.funcname as Node[]).map(sval);
    const name = (names[names.length - 1] ?? '').toLowerCase();
    const args: DefaultSpec['volatility'][] = ((e.FuncCall.args as Node[] | undefined) ?? []).map(exprVolatility);
    const own: DefaultSpec['volatility'] = VOLATILE_FUNCTIONS.has(name) ? 'volatile' : STABLE_FUNCTIONS.has(name) ? 'stable' : 'unknown';
    return worst([own, ...args]);
  }
  if (e.A_Expr) return worst([exprVolatility(e.A_Expr.lexpr), exprVolatility(e.A_Expr.rexpr)]);
  if (e.BoolExpr) return worst(((e.BoolExpr.args as Node[]) ?? []).map(exprVolatility));
  if (e.A_ArrayExpr) return worst(((e.A_ArrayExpr.elements as Node[]) ?? []).map(exprVolatility));
  return 'unknown';
}

const RANK: Record<DefaultSpec['volatility'], number> = { constant: 0, stable: 1, unknown: 2, volatile: 3 };
function worst(list: DefaultSpec['volatility'][]): DefaultSpec['volatility'] {
  return list.reduce<DefaultSpec['volatility']>((a, b) => (RANK[b] > RANK[a] ? b : a), 'constant');
}

const CONSTRAINT_KINDS: Record<string, ConstraintSpec['kind']> = {
  CONSTR_FOREIGN: 'foreign-key',
  CONSTR_CHECK: 'check',
  CONSTR_UNIQUE: 'unique',
  CONSTR_PRIMARY: 'primary-key',
  CONSTR_NOTNULL: 'not-null',
  CONSTR_EXCLUSION: 'exclusion',
};

function constraintSpec(c: Node): ConstraintSpec {
  return {
    kind: CONSTRAINT_KINDS[c.contype as string] ?? 'other',
    name: c.conname,
    notValid: c.skip_validation === true,
    columns: ((c.fk_attrs ?? c.keys ?? []) as Node[]).map(sval),
    usingIndex: c.indexname,
  };
}

function columnSpec(def: Node): ColumnSpec {
  const constraints: Node[] = ((def.constraints as Node[] | undefined) ?? []).map((x) => x.Constraint as Node);
  const dflt = constraints.find((c) => c.contype === 'CONSTR_DEFAULT');
  return {
    name: def.colname ?? '',
    type: typeName(def.typeName),
    default: dflt ? defaultSpec(dflt.raw_expr) : undefined,
    notNull: constraints.some((c) => c.contype === 'CONSTR_NOTNULL'),
    primaryKey: constraints.some((c) => c.contype === 'CONSTR_PRIMARY'),
    constraints: constraints.filter((c) => c.contype !== 'CONSTR_DEFAULT' && c.contype !== 'CONSTR_NULL').map(constraintSpec),
    generated: constraints.some((c) => c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_GENERATED'),
    length: typeModifier(def.typeName, 0),
    scale: typeModifier(def.typeName, 1),
    array: Array.isArray(def.typeName?.arrayBounds) && def.typeName.arrayBounds.length > 0 ? true : undefined,
  };
}

/** An integer modifier of a type name (varchar(200) → 200 at 0; numeric(12,2) → 2 at 1). */
function typeModifier(t: Node | undefined, at: number): number | undefined {
  const mod = (t?.typmods as Node[] | undefined)?.[at]?.A_Const as Node | undefined;
  if (!mod) return undefined;
  // libpg-query leaves ival out for 0, as protobuf JSON does for default values.
  const value = mod.ival?.ival ?? (mod.ival ? 0 : undefined);
  return typeof value === 'number' ? value : undefined;
}

const ALTER_KINDS: Record<string, AlterCommand['kind']> = {
  AT_AddColumn: 'add-column',
  AT_DropColumn: 'drop-column',
  AT_AlterColumnType: 'alter-column-type',
  AT_SetNotNull: 'set-not-null',
  AT_DropNotNull: 'drop-not-null',
  AT_AddConstraint: 'add-constraint',
  AT_DropConstraint: 'drop-constraint',
  AT_ValidateConstraint: 'validate-constraint',
};

function alterCommand(cmd: Node): AlterCommand {
  const subtype = cmd.subtype as string;
  const def = cmd.def as Node | undefined;
  let kind = ALTER_KINDS[subtype] ?? 'other';
  if (subtype === 'AT_ColumnDefault') kind = def ? 'set-default' : 'drop-default';
  const out: AlterCommand = { kind, column: cmd.name, ifExists: cmd.missing_ok === true };
  if (def?.ColumnDef) {
    out.columnSpec = columnSpec(def.ColumnDef);
    out.column ??= out.columnSpec.name;
    out.ifNotExists = cmd.missing_ok === true;
  }
  if (def?.Constraint) out.constraint = constraintSpec(def.Constraint);
  if (kind === 'set-default' && def) out.columnSpec = { name: cmd.name ?? '', type: '', default: defaultSpec(def), notNull: false, primaryKey: false, constraints: [] };
  return out;
}

function dropNames(objects: Node[]): string[] {
  return objects.map((o) => {
    const items: Node[] = o.List?.items ?? [];
    return items.length ? sval(items[items.length - 1]) : sval(o);
  });
}

/** Turns one libpg-query RawStmt's node into Quarry's view of it. */
export function normalizePostgres(stmt: Node): ParsedStatement {
  const type = Object.keys(stmt)[0] ?? '';
  const n = stmt[type] as Node;
  const p = (kind: ParsedStatement['kind']): ParsedStatement => emptyStatement(kind, 'libpg-query', stmt);
  switch (type) {
    case 'CreateStmt': {
      const s = p('create-table');
      s.table = n.relation?.relname;
      s.tables = s.table ? [s.table] : [];
      s.ifNotExists = n.if_not_exists === true;
      const elts: Node[] = n.tableElts ?? [];
      s.columns = elts.filter((e) => e.ColumnDef).map((e) => columnSpec(e.ColumnDef));
      s.constraints = elts.filter((e) => e.Constraint).map((e) => constraintSpec(e.Constraint));
      s.newIdentifiers = [...s.tables, ...s.columns.map((c) => c.name), ...s.constraints.flatMap((c) => (c.name ? [c.name] : []))];
      return s;
    }
    case 'AlterTableStmt': {
      if (n.objtype !== 'OBJECT_TABLE') return p('other');
      const s = p('alter-table');
      s.table = n.relation?.relname;
      s.tables = s.table ? [s.table] : [];
      s.ifExists = n.missing_ok === true;
      s.alterCommands = ((n.cmds as Node[]) ?? []).map((c) => alterCommand(c.AlterTableCmd));
      s.newIdentifiers = s.alterCommands.flatMap((c) => [
        ...(c.kind === 'add-column' && c.column ? [c.column] : []),
        ...(c.constraint?.name ? [c.constraint.name] : []),
      ]);
      return s;
    }
    case 'RenameStmt': {
      if (n.renameType === 'OBJECT_TABLE') {
        const s = p('rename-table');
        s.table = n.relation?.relname;
        s.tables = s.table ? [s.table] : [];
        s.alterCommands = [{ kind: 'rename-table', newName: n.newname }];
        s.newIdentifiers = [n.newname];
        return s;
      }
      if (n.renameType === 'OBJECT_COLUMN' && n.relationType === 'OBJECT_TABLE') {
        const s = p('alter-table');
        s.table = n.relation?.relname;
        s.tables = s.table ? [s.table] : [];
        s.alterCommands = [{ kind: 'rename-column', column: n.subname, newName: n.newname }];
        s.newIdentifiers = [n.newname];
        return s;
      }
      return p('other');
    }
    case 'IndexStmt': {
      const s = p('create-index');
      s.table = n.relation?.relname;
      s.tables = s.table ? [s.table] : [];
      s.objectName = n.idxname;
      s.concurrently = n.concurrent === true;
      s.ifNotExists = n.if_not_exists === true;
      s.unique = n.unique === true;
      s.indexColumns = ((n.indexParams as Node[] | undefined) ?? []).flatMap((e) => (e.IndexElem?.name ? [e.IndexElem.name as string] : []));
      s.newIdentifiers = n.idxname ? [n.idxname] : [];
      return s;
    }
    case 'DropStmt': {
      const kinds: Record<string, ParsedStatement['kind']> = { OBJECT_TABLE: 'drop-table', OBJECT_INDEX: 'drop-index', OBJECT_SCHEMA: 'drop-schema' };
      const s = p(kinds[n.removeType as string] ?? 'other');
      const names = dropNames(n.objects ?? []);
      s.ifExists = n.missing_ok === true;
      s.concurrently = n.concurrent === true;
      if (s.kind === 'drop-table') {
        s.tables = names;
        s.table = names[0];
      } else s.objectName = names[0];
      return s;
    }
    case 'DropdbStmt': {
      const s = p('drop-database');
      s.objectName = n.dbname;
      s.ifExists = n.missing_ok === true;
      return s;
    }
    case 'TruncateStmt': {
      const s = p('truncate');
      s.tables = ((n.relations as Node[]) ?? []).map((r) => r.RangeVar?.relname as string);
      s.table = s.tables[0];
      return s;
    }
    case 'DeleteStmt':
    case 'UpdateStmt': {
      const s = p(type === 'DeleteStmt' ? 'delete' : 'update');
      s.table = n.relation?.relname;
      s.tables = s.table ? [s.table] : [];
      s.hasWhere = n.whereClause !== undefined;
      return s;
    }
    case 'InsertStmt':
      return p('insert');
    case 'SelectStmt':
      return p('select');
    case 'VacuumStmt': {
      const s = p('vacuum');
      s.full = ((n.options as Node[]) ?? []).some((o) => o.DefElem?.defname === 'full');
      s.tables = ((n.rels as Node[]) ?? []).map((r) => r.VacuumRelation?.relation?.relname as string).filter(Boolean);
      s.table = s.tables[0];
      return s;
    }
    case 'ClusterStmt': {
      const s = p('cluster');
      s.table = n.relation?.relname;
      s.tables = s.table ? [s.table] : [];
      return s;
    }
    case 'VariableSetStmt': {
      const s = p('set');
      const args: Node[] = n.args ?? [];
      const value = args.map((a) => a.A_Const?.sval?.sval ?? (a.A_Const?.ival ? String(a.A_Const.ival.ival ?? 0) : '')).join(',');
      if (n.name) s.setting = { name: String(n.name).toLowerCase(), value };
      return s;
    }
    case 'TransactionStmt': {
      const kinds: Record<string, ParsedStatement['kind']> = { TRANS_STMT_BEGIN: 'begin', TRANS_STMT_START: 'begin', TRANS_STMT_COMMIT: 'commit', TRANS_STMT_ROLLBACK: 'rollback' };
      return p(kinds[n.kind as string] ?? 'other');
    }
    default:
      return p('other');
  }
}
