import type { Rule } from '../Rule';
import { tableCreatedEarlier } from './tableCreatedEarlier';

export const addingForeignKeyWithoutNotValid: Rule = {
  id: 'adding-foreign-key-without-not-valid',
  dialects: ['postgres'],
  severity: 'warning',
  docs: {
    problem: 'Adding a foreign key checks every existing row while holding SHARE ROW EXCLUSIVE locks on both tables, blocking writes to both.',
    solution: 'Add the constraint with NOT VALID, then ALTER TABLE … VALIDATE CONSTRAINT in a separate statement: validation takes a lock that lets writes through.',
  },
  check(ctx) {
    if (tableCreatedEarlier(ctx, ctx.parsed.table)) return [];
    return ctx.parsed.alterCommands.flatMap((c) => {
      if (c.kind === 'add-constraint' && c.constraint?.kind === 'foreign-key' && !c.constraint.notValid) {
        return [{ message: `Foreign key${c.constraint.name ? ` ${c.constraint.name}` : ''} on ${ctx.parsed.table ?? 'the table'} is validated at once; add it NOT VALID and validate separately.` }];
      }
      if (c.kind === 'add-column' && c.columnSpec?.constraints.some((k) => k.kind === 'foreign-key')) {
        return [{ message: `Column ${c.column ?? '?'} is added with REFERENCES, which validates at once; add the column, then the constraint NOT VALID.` }];
      }
      return [];
    });
  },
};
