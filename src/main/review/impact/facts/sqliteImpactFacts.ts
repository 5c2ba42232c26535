import type { AlterCommand, ParsedStatement, StatementKind } from '../../parse/ParsedStatement';
import { heavier, type ImpactFacts, type LockContext, type LockEffect, type Work } from '../ImpactFacts';
import type { StatementDetails } from '../statementDetails';
import { parseServerVersion, versionAtLeast } from '../../config/parseServerVersion';

/**
 * SQLite locks the whole database, not a table: a writing statement holds the write lock (RESERVED, then
 * EXCLUSIVE to commit) until its transaction ends. Other writers wait; readers go on in WAL mode, and with a
 * rollback journal they are shut out while it commits. ALTER TABLE knows only RENAME, ADD COLUMN and DROP COLUMN.
 */
const ALTER: Partial<Record<AlterCommand['kind'], Work>> = {
  'add-column': 'catalog',
  'rename-column': 'catalog',
  'rename-table': 'catalog',
  // DROP COLUMN rewrites every row without the column (3.35+).
  'drop-column': 'rewrite',
};

const STATEMENTS: Partial<Record<StatementKind, Work>> = {
  'create-index': 'index-build',
  'drop-index': 'catalog',
  // Every page of the table goes to the free list, so the work grows with the table.
  'drop-table': 'scan',
  'rename-table': 'catalog',
  delete: 'unknown',
  update: 'unknown',
  vacuum: 'rewrite',
};

function alterWork(command: AlterCommand, context: LockContext): Work {
  if (command.kind === 'drop-column' && !versionAtLeast(parseServerVersion(context.serverVersion, 'sqlite'), 3, 35)) return 'unknown';
  const work = ALTER[command.kind] ?? 'unknown';
  // Since 3.37 a new column's CHECK and NOT NULL are tested against the existing rows.
  if (command.kind === 'add-column' && (command.columnSpec?.constraints.some((c) => c.kind === 'check' || c.kind === 'foreign-key') || command.columnSpec?.notNull)) return 'scan';
  return work;
}

function lockOf(statement: ParsedStatement, _details: StatementDetails, context: LockContext): LockEffect | undefined {
  let work: Work | undefined;
  if (statement.kind === 'alter-table') work = statement.alterCommands.reduce<Work>((w, c) => heavier(w, alterWork(c, context)), 'none');
  else if (statement.kind === 'create-table') work = 'none';
  else {
    work = STATEMENTS[statement.kind];
    // DELETE without WHERE empties the table page by page (the truncate optimisation), UPDATE without WHERE writes every row.
    if (statement.kind === 'delete' && !statement.hasWhere) work = 'scan';
    if (statement.kind === 'update' && !statement.hasWhere) work = 'rewrite';
  }
  if (work === undefined) return undefined;
  if (context.newTable && work !== 'none') work = 'catalog';
  const wal = context.session.journalMode === 'wal';
  return {
    mode: 'database write lock',
    blocks: wal
      ? `all other writers of the database (not only ${context.tableLabel}) until its transaction ends; readers go on (WAL mode)`
      : `all other writers of the database (not only ${context.tableLabel}) until its transaction ends, and readers while it commits (${context.session.journalMode ?? 'rollback'} journal)`,
    blocksWrites: true,
    work,
  };
}

export const sqliteImpactFacts: ImpactFacts = {
  dialect: 'sqlite',
  lockOf,
  quoteIdent: (name) => `"${name.replace(/"/g, '""')}"`,
  // dbstat (built into better-sqlite3) sums the table's and its indexes' pages; no estimate: a local count is cheap.
  tableSizeSql: `select null as row_estimate, (select sum(s.pgsize) from dbstat('main', 1) s where s.name in (select m.name from main.sqlite_schema m where m.tbl_name = t.name)) as bytes
from main.sqlite_schema t
where ? = 'main' and t.type = 'table' and t.name = ?`,
  async describeSession(run) {
    const rows = await run('select journal_mode from pragma_journal_mode');
    const mode = rows[0]?.[0];
    return { searchPath: ['main'], ...(typeof mode === 'string' ? { journalMode: mode.toLowerCase() } : {}) };
  },
  // No server to stop it: the engine's own timer interrupts the statement (sqlite3_interrupt via the driver's cancel).
  bound: (sql) => ({ before: [], sql, after: [] }),
  timeoutServerCodes: [],
  charLength: 'length',
  notNullColumnWithoutDefaultFailsOnRows: true,
  defaultSchema: 'main',
};
