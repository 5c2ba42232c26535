import type { AlterCommand, ConstraintKind, ParsedStatement, StatementKind } from '../../parse/ParsedStatement';
import { parseServerVersion, versionAtLeast } from '../../config/parseServerVersion';
import { addColumnIsInstant } from '../../rules/mysqlOnlineDdl';
import { typeChangeInPlace } from '../../rules/typeChangeInPlace';
import { classifyType, sameColumnType, type ColumnTypeParts } from '../../types/columnTypes';
import { parseColumnType } from '../../types/parseColumnType';
import { heavier, type ImpactFacts, type LockContext, type LockEffect, type Work } from '../ImpactFacts';
import type { StatementDetails } from '../statementDetails';

/**
 * InnoDB online DDL (MySQL 8 "Online DDL Operations", MariaDB "InnoDB Online DDL Operations"): each change runs
 * with an ALGORITHM (INSTANT: catalog only; INPLACE: built beside the table, rebuilding it or not; COPY: a new
 * table filled row by row) and a LOCK (NONE: reads and writes go on; SHARED: reads only; EXCLUSIVE: nothing).
 * Every ALTER also takes an exclusive metadata lock briefly, which waits for open transactions on the table.
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

const instant: Fact = { algorithm: 'INSTANT', lock: 'NONE', work: 'catalog' };
const inplace = (work: Work): Fact => ({ algorithm: 'INPLACE', lock: 'NONE', work });
const copy: Fact = { algorithm: 'COPY', lock: 'SHARED', work: 'rewrite' };
const metadata: Fact = { algorithm: 'METADATA', lock: 'EXCLUSIVE', work: 'catalog' };

const ADD_CONSTRAINT: Record<ConstraintKind, Fact> = {
  unique: inplace('index-build'),
  'primary-key': inplace('rewrite'),
  // INPLACE only with foreign_key_checks=0, which a migration should not rely on.
  'foreign-key': copy,
  check: copy,
  'not-null': inplace('rewrite'),
  exclusion: copy,
  // ADD INDEX / KEY without UNIQUE.
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

function canDropColumnInstantly(version: string): boolean {
  const v = parseServerVersion(version, 'mysql');
  return isMariadb(version) ? versionAtLeast(v, 10, 4) : versionAtLeast(v, 8, 0, 29);
}

/**
 * MODIFY / CHANGE restate the whole column. The same type is INSTANT; of the changes the server makes in its catalog
 * (typeChangeInPlace), ENUM / SET members appended are INSTANT and a VARCHAR widened within its length prefix is
 * INPLACE without a rebuild; anything else copies the table. Changing NULL / NOT NULL rebuilds in place.
 */
function modifyFact(from: ColumnTypeParts | undefined, to: ColumnTypeParts, nullableNow: boolean | undefined, notNull: boolean): Fact {
  if (!from) return copy;
  const nullabilityChanges = nullableNow === notNull;
  if (sameColumnType(from, to, 'mysql')) return nullabilityChanges ? inplace('rewrite') : instant;
  if (!typeChangeInPlace(from, to, 'mysql')) return copy;
  if (nullabilityChanges) return inplace('rewrite');
  return classifyType(to, 'mysql')?.family === 'members' ? instant : inplace('catalog');
}

function alterFact(command: AlterCommand, index: number, details: StatementDetails, context: LockContext): Fact {
  const version = context.serverVersion;
  switch (command.kind) {
    case 'add-column': {
      const spec = command.columnSpec;
      // A STORED generated column is computed into a copy of the table; AUTO_INCREMENT numbers every row without concurrent writes.
      if (spec?.generatedStored) return copy;
      if (spec?.autoIncrement) return { algorithm: 'INPLACE', lock: 'SHARED', work: 'rewrite' };
      const keyed = spec?.primaryKey || spec?.constraints.some((c) => c.kind !== 'not-null');
      // The rule mysql-add-column-rebuild reads the same version fact: FIRST / AFTER is instant only from MySQL 8.0.29 / MariaDB 10.4.
      return !keyed && addColumnIsInstant(parseServerVersion(version, 'mysql'), command.position === undefined) ? instant : inplace('rewrite');
    }
    case 'drop-column':
      return canDropColumnInstantly(version) ? instant : inplace('rewrite');
    case 'alter-column-type': {
      if (!command.columnSpec) return copy;
      const current = command.column ? context.currentColumn(command.column) : undefined;
      return modifyFact(current ? parseColumnType(current.dataType) : undefined, command.columnSpec, current?.nullable, command.columnSpec.notNull);
    }
    case 'set-default':
    case 'drop-default':
      return instant;
    case 'rename-column':
      return inplace('catalog');
    case 'rename-table':
      return metadata;
    case 'add-constraint':
      return ADD_CONSTRAINT[command.constraint?.kind ?? 'other'];
    case 'drop-constraint':
      return command.constraint?.kind === 'primary-key' ? copy : inplace('catalog');
    case 'set-not-null':
    case 'drop-not-null':
      return inplace('rewrite');
    case 'algorithm':
    case 'lock':
      return instant;
    default:
      return { algorithm: 'COPY', lock: 'SHARED', work: 'unknown' };
  }
}

function describe(fact: Fact, table: string, requested: string | undefined): Pick<LockEffect, 'mode' | 'blocks' | 'blocksWrites'> {
  const refused = requested ? ` (the server refuses ALGORITHM=${requested} for this change)` : '';
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

function lockOf(statement: ParsedStatement, details: StatementDetails, context: LockContext): LockEffect | undefined {
  let fact: Fact | undefined;
  let requestedAlgorithm: string | undefined;
  let requestedLock: Lock | undefined;
  for (const c of statement.alterCommands) {
    if (c.kind === 'algorithm' && c.value && c.value !== 'DEFAULT') requestedAlgorithm = c.value;
    if (c.kind === 'lock' && (c.value === 'NONE' || c.value === 'SHARED' || c.value === 'EXCLUSIVE')) requestedLock = c.value;
  }
  if (statement.kind === 'alter-table') {
    statement.alterCommands.forEach((command, i) => {
      if (command.kind === 'algorithm' || command.kind === 'lock') return;
      const next = alterFact(command, i, details, context);
      fact = fact
        ? {
            algorithm: ALGORITHM_RANK[next.algorithm] > ALGORITHM_RANK[fact.algorithm] ? next.algorithm : fact.algorithm,
            lock: LOCK_RANK[next.lock] > LOCK_RANK[fact.lock] ? next.lock : fact.lock,
            // An INSTANT change folded into a rebuild is rebuilt with it.
            work: heavier(fact.work, next.work),
          }
        : next;
    });
  } else if (statement.kind === 'create-table') {
    return undefined;
  } else {
    fact = STATEMENTS[statement.kind];
    if (fact && (statement.kind === 'delete' || statement.kind === 'update') && !statement.hasWhere) fact = { ...fact, work: 'rewrite' };
  }
  if (!fact) return undefined;
  let refused: string | undefined;
  if (requestedAlgorithm === 'COPY' && ALGORITHM_RANK[fact.algorithm] < ALGORITHM_RANK.COPY) fact = { ...copy, lock: fact.lock === 'EXCLUSIVE' ? 'EXCLUSIVE' : 'SHARED' };
  else if ((requestedAlgorithm === 'INSTANT' || requestedAlgorithm === 'INPLACE') && fact.algorithm !== 'METADATA' && ALGORITHM_RANK[requestedAlgorithm] < ALGORITHM_RANK[fact.algorithm]) refused = requestedAlgorithm;
  if (fact.algorithm === 'INSTANT' && (requestedAlgorithm === 'INPLACE' || requestedLock)) {
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
