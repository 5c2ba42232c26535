import type { Rule } from '../Rule';
import { tableCreatedEarlier } from './tableCreatedEarlier';

export const renamingColumn: Rule = {
  id: 'renaming-column',
  dialects: ['postgres', 'mysql', 'sqlite'],
  severity: 'warning',
  docs: {
    problem: 'Renaming a column breaks every running client that still uses the old name until all are redeployed.',
    solution: 'Add the new column, write to both, backfill, move reads over, then drop the old column in a later release.',
  },
  check(ctx) {
    const s = ctx.parsed;
    if (tableCreatedEarlier(ctx, s.table)) return [];
    return s.alterCommands
      .filter((c) => c.kind === 'rename-column' || (c.kind === 'alter-column-type' && c.newName))
      .map((c) => ({ message: `Renaming ${s.table ?? 'the table'}.${c.column ?? '?'} to ${c.newName ?? '?'} breaks clients that use the old name.` }));
  },
};
