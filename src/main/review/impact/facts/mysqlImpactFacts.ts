import type { AlterCommand, ConstraintKind, ParsedStatement, StatementKind } from '../../parse/ParsedStatement';
import { parseServerVersion } from '../../config/parseServerVersion';
import { onlineDdlOf, onlineDdlRefused, type DdlAlgorithm, type OnlineDdl, type OnlineDdlContext } from '../../rules/mysqlOnlineDdl';
import { parseColumnType } from '../../types/parseColumnType';
import { heavier, type ImpactFacts, type LockContext, type LockEffect, type Work } from '../ImpactFacts';
import type { StatementDetails } from '../statementDetails';

/**
 * InnoDB online DDL (MySQL 8 "Online DDL Operations", MariaDB "InnoDB Online DDL Operations"): each change runs
 * with an ALGORITHM (INSTANT: catalog only; INPLACE: built beside the table, rebuilding it or not; COPY: a new
 * table filled row by row) and a LOCK (NONE: reads and writes go on; SHARED: reads only; EXCLUSIVE: nothing).
 * Every ALTER also takes an exclusive metadata lock briefly, which waits for open transactions on the table.
 *
 * Which algorithm and lock an ALTER TABLE operation needs, and which ALGORITHM / LOCK clauses the server refuses,
 * come from rules/mysqlOnlineDdl (onlineDdlOf, onlineDdlRefused), the facts pinned against a real server; this file
 * adds what the lock blocks, in words, and the kind of work. METADATA (DROP / RENAME / TRUNCATE TABLE) and ROWS
 * (DELETE / UPDATE) are the impact's own names for statements that are not online DDL.
 */
type Algorithm = 'INSTANT' | 'INPLACE' | 'COPY' | 'METADATA' | 'ROWS';
type Lock = 'NONE' | 'SHARED' | 'EXCLUSIVE';

interface Fact {
  algorithm: Algorithm;
  lock: Lock;
  work: Work;
}

const ALGORITHM_RANK: Record<Algorithm, number> = { ROWS: 0, INSTANT: 1, INPLACE: 2, COPY: 3, METADATA: 4 };
const LOCK_RANK: Record<Lock, number> = { NONE: 0, SHARED: 1, EXCLUSIVE: 2 };

const inplace = (work: Work): Fact => ({ algorithm: 'INPLACE', lock: 'NONE', work });
const copy: Fact = { algorithm: 'COPY', lock: 'SHARED', work: 'rewrite' };
const metadata: Fact = { algorithm: 'METADATA', lock: 'EXCLUSIVE', work: 'catalog' };

/** Operations onlineDdlOf does not model (CHECK, an index of a kind it leaves out, PostgreSQL-style NOT NULL): the impact's own, heavier guesses. */
const ADD_CONSTRAINT: Record<ConstraintKind, Fact> = {
  unique: inplace('index-build'),
  'primary-key': inplace('rewrite'),
  'foreign-key': copy,
  check: copy,
  'not-null': inplace('rewrite'),
  exclusion: copy,
  other: inplace('index-build'),
};

const STATEMENTS: Partial<Record<StatementKind, Fact>> = {
  'create-index': inplace('index-build'),
  'drop-index': inplace('catalog'),
  'drop-table': metadata,
  'rename-table': metadata,
  truncate: metadata,
  delete: { algorithm: 'ROWS', lock: 'NONE', work: 'unknown' },
  update: { algorithm: 'ROWS', lock: 'NONE', work: 'unknown' },
};

const isMariadb = (version: string): boolean => /mariadb/i.test(version);

/** The rules' view of the statement, with the live column standing in for the migrations' schema. */
function ddlContext(statement: ParsedStatement, context: LockContext): OnlineDdlContext {
  return {
    parsed: statement,
    dialect: 'mysql',
    version: parseServerVersion(context.serverVersion, 'mysql'),
    // The impact sees one statement: an earlier SET foreign_key_checks = 0 is not known, so checks count as on.
    statements: [],
    index: 0,
    schema: {
      column: (_table, name) => {
        const current = name ? context.currentColumn(name) : undefined;
        return current ? { ...parseColumnType(current.dataType), name: current.name, notNull: !current.nullable } : undefined;
      },
    },
  };
}

/** The work behind an algorithm: MariaDB's NOCOPY (MySQL's INPLACE without a rebuild) builds an index or changes the catalog. */
function workOf(algorithm: DdlAlgorithm, command: AlterCommand): Work {
  const buildsIndex = command.kind === 'add-constraint' && (command.constraint?.kind === 'unique' || command.constraint?.plainIndex === true);
  if (algorithm === 'INSTANT') return 'catalog';
  if (algorithm === 'COPY') return 'rewrite';
  if (buildsIndex) return 'index-build';
  return algorithm === 'NOCOPY' ? 'catalog' : 'rewrite';
}

function factOf(ddl: OnlineDdl, command: AlterCommand): Fact {
  // NOCOPY is a kind of INPLACE (MariaDB accepts ALGORITHM=INPLACE for it, MySQL has no other name); the work says no rebuild.
  return { algorithm: ddl.algorithm === 'NOCOPY' ? 'INPLACE' : ddl.algorithm, lock: ddl.lock, work: workOf(ddl.algorithm, command) };
}

function alterFact(command: AlterCommand, commands: readonly AlterCommand[], ddl: OnlineDdlContext): Fact {
  // A rename takes the table's exclusive metadata lock, which the METADATA wording describes better than ALGORITHM=INSTANT.
  if (command.kind === 'rename-table') return metadata;
  const known = onlineDdlOf(command, commands, ddl);
  if (command.kind === 'add-column') {
    const spec = command.columnSpec;
    const fact = known ? factOf(known, command) : inplace('rewrite');
    // An inline PRIMARY KEY / UNIQUE also builds an index, which onlineDdlOf leaves to the column alone.
    const keyed = spec?.primaryKey || spec?.constraints.some((c) => c.kind !== 'not-null');
    if (!keyed) return fact;
    return { algorithm: ALGORITHM_RANK[fact.algorithm] > ALGORITHM_RANK.INPLACE ? fact.algorithm : 'INPLACE', lock: fact.lock, work: heavier(fact.work, 'rewrite') };
  }
  if (known) return factOf(known, command);
  switch (command.kind) {
    case 'alter-column-type':
      // The column as it is now is unknown: a changed definition may copy the table.
      return copy;
    case 'add-constraint':
      return ADD_CONSTRAINT[command.constraint?.kind ?? 'other'];
    case 'drop-constraint':
      return command.constraint?.kind === 'primary-key' ? copy : inplace('catalog');
    case 'set-not-null':
    case 'drop-not-null':
      return inplace('rewrite');
    default:
      return { algorithm: 'COPY', lock: 'SHARED', work: 'unknown' };
  }
}

function describe(fact: Fact, table: string, refusedClause: string | undefined): Pick<LockEffect, 'mode' | 'blocks' | 'blocksWrites'> {
  const refused = refusedClause ? ` (the server refuses ${refusedClause} for this change)` : '';
  const waits = `wait for open transactions on ${table}, and every later query on ${table} queues behind them`;
  switch (fact.algorithm) {
    case 'METADATA':
      return { mode: 'exclusive metadata lock', blocks: `all reads and writes of ${table}; it waits for open transactions on ${table} first`, blocksWrites: true };
    case 'ROWS':
      return { mode: 'row locks', blocks: `writes to the rows it changes in ${table}; reads go on`, blocksWrites: false };
    case 'INSTANT':
      return { mode: `ALGORITHM=INSTANT${refused}`, blocks: `no reads or writes while it runs; its brief exclusive metadata lock must ${waits}`, blocksWrites: false };
    default:
      break;
  }
  const mode = `ALGORITHM=${fact.algorithm}, LOCK=${fact.lock}${refused}`;
  if (fact.lock === 'NONE') return { mode, blocks: `no reads or writes while it runs; brief exclusive metadata locks at its start and end ${waits}`, blocksWrites: false };
  if (fact.lock === 'SHARED') return { mode, blocks: `writes to ${table}; reads go on`, blocksWrites: true };
  return { mode, blocks: `all reads and writes of ${table}`, blocksWrites: true };
}

function lockOf(statement: ParsedStatement, _details: StatementDetails, context: LockContext): LockEffect | undefined {
  let fact: Fact | undefined;
  let requestedAlgorithm: string | undefined;
  let requestedLock: Lock | undefined;
  for (const c of statement.alterCommands) {
    if (c.kind === 'algorithm' && c.value && c.value !== 'DEFAULT') requestedAlgorithm = c.value;
    if (c.kind === 'lock' && (c.value === 'NONE' || c.value === 'SHARED' || c.value === 'EXCLUSIVE')) requestedLock = c.value;
  }
  let refused: string | undefined;
  if (statement.kind === 'alter-table') {
    const ddl = ddlContext(statement, context);
    const commands = statement.alterCommands;
    for (const command of commands) {
      if (command.kind === 'algorithm' || command.kind === 'lock') continue;
      const next = alterFact(command, commands, ddl);
      fact = fact
        ? {
            algorithm: ALGORITHM_RANK[next.algorithm] > ALGORITHM_RANK[fact.algorithm] ? next.algorithm : fact.algorithm,
            lock: LOCK_RANK[next.lock] > LOCK_RANK[fact.lock] ? next.lock : fact.lock,
            // An INSTANT change folded into a rebuild is rebuilt with it.
            work: heavier(fact.work, next.work),
          }
        : next;
    }
    const refusal = onlineDdlRefused(ddl);
    if (refusal) refused = `${refusal.clause}=${refusal.asked}`;
  } else if (statement.kind === 'create-table') {
    return undefined;
  } else {
    fact = STATEMENTS[statement.kind];
    if (fact && (statement.kind === 'delete' || statement.kind === 'update') && !statement.hasWhere) fact = { ...fact, work: 'rewrite' };
  }
  if (!fact) return undefined;
  if (requestedAlgorithm === 'COPY' && ALGORITHM_RANK[fact.algorithm] < ALGORITHM_RANK.COPY) fact = { ...copy, lock: fact.lock === 'EXCLUSIVE' ? 'EXCLUSIVE' : 'SHARED' };
  if (fact.algorithm === 'INSTANT' && (requestedAlgorithm === 'INPLACE' || requestedAlgorithm === 'NOCOPY' || requestedLock)) {
    // INSTANT takes no LOCK clause: asking for INPLACE or a lock makes the server build in place, rebuilding for columns.
    const rebuilds = statement.alterCommands.some((c) => c.kind === 'add-column' || c.kind === 'drop-column');
    fact = { algorithm: 'INPLACE', lock: fact.lock, work: rebuilds ? 'rewrite' : fact.work };
  }
  if (requestedLock && LOCK_RANK[requestedLock] > LOCK_RANK[fact.lock] && fact.algorithm !== 'INSTANT') fact = { ...fact, lock: requestedLock };
  if (context.newTable) fact = { ...fact, work: 'catalog' };
  return { ...describe(fact, context.tableLabel, refused), work: fact.work };
}

export const mysqlImpactFacts: ImpactFacts = {
  dialect: 'mysql',
  lockOf,
  quoteIdent: (name) => `\`${name.replace(/`/g, '``')}\``,
  // InnoDB's statistics: table_rows is an estimate, data_length + index_length its pages; neither scans the table.
  tableSizeSql: `select t.table_rows as row_estimate, t.data_length + t.index_length as bytes
from information_schema.tables t
where t.table_schema = ? and t.table_name = ? and t.table_type = 'BASE TABLE'`,
  async describeSession(run) {
    const rows = await run('select database() as db');
    const db = rows[0]?.[0];
    return { searchPath: db === null || db === undefined ? [] : [String(db)] };
  },
  bound: (sql, ms, serverVersion) => {
    const seconds = Math.max(1, Math.ceil(ms / 1000));
    if (isMariadb(serverVersion)) {
      // MariaDB counts seconds (fractions allowed) and stops any statement; lock_wait_timeout bounds a metadata-lock wait.
      return { before: [], sql: `SET STATEMENT max_statement_time = ${ms / 1000}, lock_wait_timeout = ${seconds} FOR ${sql}`, after: [] };
    }
    return { before: [], sql: sql.replace(/^\s*select\b/i, `SELECT /*+ MAX_EXECUTION_TIME(${Math.max(1, Math.trunc(ms))}) SET_VAR(lock_wait_timeout=${seconds}) */`), after: [] };
  },
  timeoutServerCodes: ['ER_LOCK_WAIT_TIMEOUT', 'ER_STATEMENT_TIMEOUT', 'ER_QUERY_TIMEOUT'],
  charLength: 'char_length',
  notNullColumnWithoutDefaultFailsOnRows: false,
};
