import type { Rule } from '../Rule';
import { tableCreatedEarlier } from './tableCreatedEarlier';

export const renamingTable: Rule = {
  id: 'renaming-table',
  dialects: ['postgres', 'mysql', 'sqlite'],
  severity: 'warning',
  docs: {
    problem: 'Renaming a table breaks every running client that still uses the old name, from the moment the migration commits until all are redeployed.',
    solution: 'Create the new table (or a view under the new name), move the code over, then drop or rename the old one in a later release.',
  },
  check(ctx) {
    const s = ctx.parsed;
    if (tableCreatedEarlier(ctx, s.table)) return [];
    return s.alterCommands
      .filter((c) => c.kind === 'rename-table')
      .map((c) => ({ message: `Renaming ${s.table ?? 'the table'}${c.newName ? ` to ${c.newName}` : ''} breaks clients that use the old name.` }));
  },
};
