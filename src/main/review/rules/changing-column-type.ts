import type { Rule } from '../Rule';
import { tableCreatedEarlier } from './tableCreatedEarlier';

export const changingColumnType: Rule = {
  id: 'changing-column-type',
  dialects: ['postgres', 'mysql'],
  severity: 'warning',
  docs: {
    problem: 'Changing a column type usually rewrites the table and its indexes while holding a lock that blocks reads and writes (PostgreSQL ACCESS EXCLUSIVE; MySQL ALGORITHM=COPY).',
    solution: 'Add a new column, backfill it in batches, switch the application over, then drop the old column. Widening varchar or varchar to text on PostgreSQL needs no rewrite and may be ignored.',
  },
  check(ctx) {
    if (tableCreatedEarlier(ctx, ctx.parsed.table)) return [];
    return ctx.parsed.alterCommands
      .filter((c) => c.kind === 'alter-column-type')
      .map((c) => ({ message: `Changing the type of ${ctx.parsed.table ?? 'the table'}.${c.column ?? '?'}${c.columnSpec?.type ? ` to ${c.columnSpec.type}` : ''} may rewrite the table under a lock.` }));
  },
};
