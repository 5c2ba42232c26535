import type { Rule } from '../Rule';
import { tableCreatedEarlier } from './tableCreatedEarlier';

export const addingPrimaryKey: Rule = {
  id: 'adding-primary-key',
  dialects: ['postgres'],
  severity: 'warning',
  docs: {
    problem: 'Adding a primary key to an existing table builds a unique index and checks NOT NULL under an ACCESS EXCLUSIVE lock.',
    solution: 'CREATE UNIQUE INDEX CONCURRENTLY, make the columns NOT NULL safely, then ALTER TABLE … ADD CONSTRAINT name PRIMARY KEY USING INDEX index_name.',
  },
  check(ctx) {
    if (tableCreatedEarlier(ctx, ctx.parsed.table)) return [];
    return ctx.parsed.alterCommands.flatMap((c) => {
      const viaConstraint = c.kind === 'add-constraint' && c.constraint?.kind === 'primary-key' && !c.constraint.usingIndex;
      const viaColumn = c.kind === 'add-column' && c.columnSpec?.primaryKey === true;
      return viaConstraint || viaColumn ? [{ message: `Adding a primary key to ${ctx.parsed.table ?? 'the table'} builds its index under an ACCESS EXCLUSIVE lock; build a unique index concurrently and add the key USING INDEX.` }] : [];
    });
  },
};
