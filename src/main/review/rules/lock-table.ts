import type { Rule } from '../Rule';

/** PostgreSQL lock modes as the parser numbers them (AccessShareLock = 1 … AccessExclusiveLock = 8). */
const MODES = ['', 'ACCESS SHARE', 'ROW SHARE', 'ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'];
/** From SHARE up, the lock blocks the application's writes. */
const BLOCKS_WRITES = 5;

export const lockTable: Rule = {
  id: 'lock-table',
  dialects: ['postgres', 'mysql'],
  severity: 'warning',
  docs: {
    problem:
      "An explicit LOCK TABLE (PostgreSQL SHARE or stronger, MySQL LOCK TABLES) blocks the application's writes, or reads and writes, for the rest of the transaction or session, however long the migration takes after it.",
    solution: 'Let each statement take the lock it needs, set lock_timeout so a blocked lock fails fast, and keep the locked part of the migration short. If you really need the lock, ignore the rule with `-- quarry-ignore lock-table` and say why.',
  },
  check(ctx) {
    const ast = ctx.parsed.ast as { LockStmt?: { mode?: number }; type?: string } | undefined;
    if (ast?.LockStmt) {
      const mode = ast.LockStmt.mode ?? 8;
      if (mode < BLOCKS_WRITES) return [];
      return [{ message: `LOCK TABLE … IN ${MODES[mode] ?? 'ACCESS EXCLUSIVE'} MODE blocks writes until the transaction ends.` }];
    }
    if (ctx.parsed.parser === 'node-sql-parser' && ast?.type === 'lock') return [{ message: 'LOCK TABLES blocks other sessions until UNLOCK TABLES.' }];
    return [];
  },
};
