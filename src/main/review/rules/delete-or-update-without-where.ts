import type { Rule } from '../Rule';

export const deleteOrUpdateWithoutWhere: Rule = {
  id: 'delete-or-update-without-where',
  dialects: ['postgres', 'mysql', 'sqlite'],
  severity: 'error',
  docs: {
    problem: 'DELETE or UPDATE without WHERE touches every row of the table, in one long transaction that locks them all.',
    solution: 'Add the WHERE clause you meant; for a deliberate full-table change, work in batches by key range.',
  },
  check(ctx) {
    const s = ctx.parsed;
    if ((s.kind !== 'delete' && s.kind !== 'update') || s.hasWhere) return [];
    return [{ message: `${s.kind.toUpperCase()} on ${s.table ?? 'the table'} has no WHERE clause and touches every row.` }];
  },
};
