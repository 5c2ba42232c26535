import type { Rule } from '../Rule';

export const truncate: Rule = {
  id: 'truncate',
  dialects: ['postgres', 'mysql', 'sqlite'],
  severity: 'warning',
  docs: {
    problem: 'TRUNCATE deletes every row at once, cannot be filtered, and on PostgreSQL takes an ACCESS EXCLUSIVE lock.',
    solution: 'Delete the rows you mean with DELETE … WHERE, in batches; suppress with `-- quarry-ignore truncate` for tables that really are scratch data.',
  },
  check(ctx) {
    const s = ctx.parsed;
    if (s.kind !== 'truncate') return [];
    return [{ message: `TRUNCATE ${s.tables.join(', ') || '?'} deletes every row.` }];
  },
};
