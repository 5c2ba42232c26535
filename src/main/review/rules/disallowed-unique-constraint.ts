import type { Rule } from '../Rule';
import { tableCreatedEarlier } from './tableCreatedEarlier';

export const disallowedUniqueConstraint: Rule = {
  id: 'disallowed-unique-constraint',
  dialects: ['postgres'],
  severity: 'warning',
  docs: {
    problem: 'ADD CONSTRAINT … UNIQUE builds its index while holding an ACCESS EXCLUSIVE lock on the table: no reads or writes until it is done.',
    solution: 'CREATE UNIQUE INDEX CONCURRENTLY first, then ALTER TABLE … ADD CONSTRAINT name UNIQUE USING INDEX index_name.',
  },
  check(ctx) {
    if (tableCreatedEarlier(ctx, ctx.parsed.table)) return [];
    return ctx.parsed.alterCommands.flatMap((c) => {
      if (c.kind === 'add-constraint' && c.constraint?.kind === 'unique' && !c.constraint.usingIndex) {
        return [{ message: `UNIQUE constraint${c.constraint.name ? ` ${c.constraint.name}` : ''} on ${ctx.parsed.table ?? 'the table'} builds its index under an ACCESS EXCLUSIVE lock; build a unique index concurrently and add the constraint USING INDEX.` }];
      }
      if (c.kind === 'add-column' && c.columnSpec?.constraints.some((k) => k.kind === 'unique')) {
        return [{ message: `Column ${c.column ?? '?'} is added UNIQUE, which builds an index under an ACCESS EXCLUSIVE lock.` }];
      }
      return [];
    });
  },
};
