import type { Rule } from '../Rule';
import type { StatementKind } from '../parse/ParsedStatement';
import { tableCreatedEarlier } from './tableCreatedEarlier';

/** Statements that queue for a strong lock on an existing table. */
const LOCKING: ReadonlySet<StatementKind> = new Set(['alter-table', 'create-index', 'drop-index', 'drop-table', 'rename-table', 'truncate']);

export const missingLockTimeout: Rule = {
  id: 'missing-lock-timeout',
  dialects: ['postgres'],
  severity: 'warning',
  docs: {
    problem: 'A DDL statement waiting for its lock behind a long query makes every later query on the table wait behind it too: a short migration becomes an outage.',
    solution: "Start the migration with SET lock_timeout = '5s' (and retry on timeout), so a blocked statement gives up instead of stalling traffic.",
  },
  check(ctx) {
    const s = ctx.parsed;
    if (!LOCKING.has(s.kind) || s.concurrently || tableCreatedEarlier(ctx, s.table)) return [];
    const before = ctx.statements.slice(0, ctx.index);
    if (before.some((b) => b.parsed?.setting?.name === 'lock_timeout')) return [];
    // One finding per migration: the first statement that needs the timeout.
    const earlierNeedy = before.some((b, i) => b.parsed && LOCKING.has(b.parsed.kind) && !b.parsed.concurrently && !tableCreatedEarlier({ ...ctx, index: i }, b.parsed.table));
    if (earlierNeedy) return [];
    return [{ message: `No SET lock_timeout before this statement: if ${s.table ?? 'the table'} is busy it waits for its lock and blocks every query behind it.` }];
  },
};
