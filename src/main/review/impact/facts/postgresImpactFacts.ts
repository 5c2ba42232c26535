import type { AlterCommand, ConstraintKind, ParsedStatement, StatementKind } from '../../parse/ParsedStatement';
import { typeChangeInPlace } from '../../rules/typeChangeInPlace';
import { parseColumnType } from '../../types/parseColumnType';
import { heavier, type ImpactFacts, type LockContext, type LockEffect, type Work } from '../ImpactFacts';
import type { StatementDetails } from '../statementDetails';
import { parseServerVersion, versionAtLeast } from '../../config/parseServerVersion';

/** PostgreSQL's table lock modes, weakest first (the documentation's table-level lock table), and what each blocks. */
const MODES = {
  rowExclusive: { mode: 'ROW EXCLUSIVE', blocks: (t: string) => `schema changes and index builds on ${t}; other writers wait only for the rows it changes`, blocksWrites: false },
  shareUpdateExclusive: { mode: 'SHARE UPDATE EXCLUSIVE', blocks: (t: string) => `schema changes, VACUUM and other index builds on ${t}; reads and writes go on`, blocksWrites: false },
  share: { mode: 'SHARE', blocks: (t: string) => `writes (INSERT, UPDATE, DELETE) to ${t}; reads go on`, blocksWrites: true },
  shareRowExclusive: { mode: 'SHARE ROW EXCLUSIVE', blocks: (t: string) => `writes (INSERT, UPDATE, DELETE) to ${t}; reads go on`, blocksWrites: true },
  accessExclusive: { mode: 'ACCESS EXCLUSIVE', blocks: (t: string) => `all reads and writes of ${t}`, blocksWrites: true },
} as const;
type Mode = keyof typeof MODES;
const STRENGTH: Mode[] = ['rowExclusive', 'shareUpdateExclusive', 'share', 'shareRowExclusive', 'accessExclusive'];

interface Fact {
  lock: Mode;
  work: Work;
}

/** ALTER TABLE sub-commands: the lock each takes and its work before the refinements in alterFact. */
const ALTER: Record<AlterCommand['kind'], Fact> = {
  'add-column': { lock: 'accessExclusive', work: 'catalog' },
  'drop-column': { lock: 'accessExclusive', work: 'catalog' },
  'alter-column-type': { lock: 'accessExclusive', work: 'rewrite' },
  'set-not-null': { lock: 'accessExclusive', work: 'scan' },
  'drop-not-null': { lock: 'accessExclusive', work: 'catalog' },
  'set-default': { lock: 'accessExclusive', work: 'catalog' },
  'drop-default': { lock: 'accessExclusive', work: 'catalog' },
  'add-constraint': { lock: 'accessExclusive', work: 'scan' },
  'drop-constraint': { lock: 'accessExclusive', work: 'catalog' },
  'validate-constraint': { lock: 'shareUpdateExclusive', work: 'scan' },
  'rename-column': { lock: 'accessExclusive', work: 'catalog' },
  'rename-table': { lock: 'accessExclusive', work: 'catalog' },
  algorithm: { lock: 'accessExclusive', work: 'unknown' },
  lock: { lock: 'accessExclusive', work: 'unknown' },
  other: { lock: 'accessExclusive', work: 'unknown' },
};

/** ADD CONSTRAINT by kind (validated; NOT VALID makes the work catalog-only). */
const ADD_CONSTRAINT: Record<ConstraintKind, Fact> = {
  'foreign-key': { lock: 'shareRowExclusive', work: 'scan' },
  check: { lock: 'accessExclusive', work: 'scan' },
  unique: { lock: 'accessExclusive', work: 'index-build' },
  'primary-key': { lock: 'accessExclusive', work: 'index-build' },
  exclusion: { lock: 'accessExclusive', work: 'index-build' },
  'not-null': { lock: 'accessExclusive', work: 'scan' },
  other: { lock: 'accessExclusive', work: 'unknown' },
};

/** Statements other than ALTER TABLE; undefined kinds take no lock worth reporting. */
const STATEMENTS: Partial<Record<StatementKind, Fact>> = {
  'create-index': { lock: 'share', work: 'index-build' },
  'drop-index': { lock: 'accessExclusive', work: 'catalog' },
  'drop-table': { lock: 'accessExclusive', work: 'catalog' },
  'rename-table': { lock: 'accessExclusive', work: 'catalog' },
  truncate: { lock: 'accessExclusive', work: 'catalog' },
  cluster: { lock: 'accessExclusive', work: 'rewrite' },
  vacuum: { lock: 'shareUpdateExclusive', work: 'scan' },
  delete: { lock: 'rowExclusive', work: 'unknown' },
  update: { lock: 'rowExclusive', work: 'unknown' },
};

function alterFact(command: AlterCommand, index: number, details: StatementDetails, context: LockContext): Fact {
  const base = ALTER[command.kind];
  if (command.kind === 'add-column') {
    const def = command.columnSpec?.default;
    // PostgreSQL 11 stores a non-volatile default in the catalog; before that, and for volatile defaults, every row is written.
    const rewrites = (def && (!versionAtLeast(parseServerVersion(context.serverVersion, 'postgres'), 11) || def.volatility === 'volatile')) || command.columnSpec?.type === 'serial' || command.columnSpec?.type === 'bigserial';
    const referencing = command.columnSpec?.constraints.some((c) => c.kind === 'foreign-key' || c.kind === 'check' || c.kind === 'unique' || c.kind === 'primary-key');
    return { lock: base.lock, work: rewrites ? 'rewrite' : referencing ? 'scan' : 'catalog' };
  }
  if (command.kind === 'alter-column-type' && command.columnSpec) {
    const current = command.column ? context.currentColumn(command.column) : undefined;
    // Binary-coercible changes (varchar widened, numeric given more precision) leave the rows alone.
    return { lock: base.lock, work: current && typeChangeInPlace(parseColumnType(current.dataType), command.columnSpec, 'postgres') ? 'catalog' : 'rewrite' };
  }
  // PostgreSQL 12+ takes a validated CHECK (column IS NOT NULL) as proof and skips the scan: the safe way to SET NOT NULL.
  if (command.kind === 'set-not-null' && command.column && versionAtLeast(parseServerVersion(context.serverVersion, 'postgres'), 12) && context.notNullProven(command.column)) return { lock: base.lock, work: 'catalog' };
  if (command.kind === 'add-constraint' && command.constraint) {
    const c = command.constraint;
    const fact = ADD_CONSTRAINT[c.kind];
    if (c.usingIndex) return { lock: fact.lock, work: 'catalog' };
    return { lock: fact.lock, work: c.notValid ? 'catalog' : fact.work };
  }
  return base;
}

function lockOf(statement: ParsedStatement, details: StatementDetails, context: LockContext): LockEffect | undefined {
  let fact: Fact | undefined;
  let alsoLocks: string[] = [];
  if (statement.kind === 'alter-table') {
    statement.alterCommands.forEach((command, i) => {
      const next = alterFact(command, i, details, context);
      fact = fact ? { lock: STRENGTH.indexOf(next.lock) > STRENGTH.indexOf(fact.lock) ? next.lock : fact.lock, work: heavier(fact.work, next.work) } : next;
      const ref = details.commands[i]?.reference;
      if (ref && !command.constraint?.notValid) alsoLocks.push(context.referenceLabel(ref));
    });
  } else if (statement.kind === 'create-table') {
    // A new table blocks no one, but its foreign keys take SHARE ROW EXCLUSIVE on the tables they reference.
    alsoLocks = details.references.map((r) => context.referenceLabel(r));
    if (!alsoLocks.length) return undefined;
    return { ...describe('shareRowExclusive', alsoLocks.join(' and ')), work: 'none', alsoLocks };
  } else {
    fact = STATEMENTS[statement.kind];
    if (fact && statement.concurrently && (statement.kind === 'create-index' || statement.kind === 'drop-index')) fact = { lock: 'shareUpdateExclusive', work: fact.work };
    if (fact && statement.kind === 'vacuum' && statement.full) fact = { lock: 'accessExclusive', work: 'rewrite' };
    if (fact && (statement.kind === 'delete' || statement.kind === 'update') && !statement.hasWhere) fact = { lock: fact.lock, work: 'rewrite' };
  }
  if (!fact) return undefined;
  if (context.newTable) fact = { lock: fact.lock, work: fact.work === 'none' ? 'none' : 'catalog' };
  alsoLocks = [...new Set(alsoLocks)];
  const label = [context.tableLabel, ...alsoLocks].join(' and ');
  return { ...describe(fact.lock, label), work: fact.work, ...(alsoLocks.length ? { alsoLocks } : {}) };
}

function describe(mode: Mode, tables: string): Pick<LockEffect, 'mode' | 'blocks' | 'blocksWrites'> {
  const m = MODES[mode];
  return { mode: m.mode, blocks: m.blocks(tables), blocksWrites: m.blocksWrites };
}

/** Validated single-column CHECK (column IS NOT NULL) constraints, as pg_get_constraintdef writes them. */
const NOT_NULL_CHECKS_SQL = `select n.nspname || '.' || c.relname || '.' || a.attname
from pg_catalog.pg_constraint co
join pg_catalog.pg_class c on c.oid = co.conrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
join pg_catalog.pg_attribute a on a.attrelid = co.conrelid and a.attnum = co.conkey[1]
where co.contype = 'c' and co.convalidated and pg_catalog.array_length(co.conkey, 1) = 1
  and pg_catalog.pg_get_constraintdef(co.oid) in ('CHECK ((' || pg_catalog.quote_ident(a.attname) || ' IS NOT NULL))', 'CHECK (' || pg_catalog.quote_ident(a.attname) || ' IS NOT NULL)')`;

export const postgresImpactFacts: ImpactFacts = {
  dialect: 'postgres',
  lockOf,
  quoteIdent: (name) => `"${name.replace(/"/g, '""')}"`,
  // reltuples is -1 until the first VACUUM/ANALYZE. pg_total_relation_size opens the table (ACCESS SHARE), so it runs
  // bounded. A partitioned table holds no rows itself: its size is its partitions' (pg_partition_tree, PostgreSQL 12+).
  tableSizeSql: `select c.reltuples::float8 as row_estimate,
  case when c.relkind = 'p' then (select coalesce(sum(pg_catalog.pg_total_relation_size(p.relid)), 0) from pg_catalog.pg_partition_tree(c.oid) p)
       else pg_catalog.pg_total_relation_size(c.oid) end::int8 as bytes
from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'p', 'm')`,
  async describeSession(run) {
    const rows = await run('select unnest(pg_catalog.current_schemas(false))::text as schema');
    let inTransaction = false;
    try {
      // SAVEPOINT is refused outside a transaction block (25P01): the one way to ask without changing anything.
      await run('SAVEPOINT quarry_impact_probe');
      inTransaction = true;
      await run('RELEASE SAVEPOINT quarry_impact_probe');
    } catch {
      // Not in a transaction block.
    }
    const checks = await run(NOT_NULL_CHECKS_SQL);
    return { searchPath: rows.map((r) => String(r[0])), inTransaction, notNullChecks: checks.map((r) => String(r[0])) };
  },
  bound: (sql, ms, _version, session) => {
    const limits = [`SET LOCAL statement_timeout = ${Math.max(1, Math.trunc(ms))}`, `SET LOCAL lock_timeout = ${Math.max(1, Math.trunc(ms))}`];
    return session.inTransaction
      ? { before: ['SAVEPOINT quarry_impact', ...limits], sql, after: ['ROLLBACK TO SAVEPOINT quarry_impact', 'RELEASE SAVEPOINT quarry_impact'] }
      : { before: ['BEGIN READ ONLY', ...limits], sql, after: ['ROLLBACK'] };
  },
  timeoutServerCodes: ['57014', '55P03'],
  charLength: 'char_length',
  notNullColumnWithoutDefaultFailsOnRows: true,
};
