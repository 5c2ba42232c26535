import type { Rule } from '../Rule';
import { tableCreatedEarlier } from './tableCreatedEarlier';

export const addingCheckWithoutNotValid: Rule = {
  id: 'adding-check-without-not-valid',
  dialects: ['postgres'],
  severity: 'warning',
  docs: {
    problem: 'Adding a CHECK constraint scans every row while holding an ACCESS EXCLUSIVE lock on the table.',
    solution: 'Add the constraint with NOT VALID, then ALTER TABLE … VALIDATE CONSTRAINT in a separate statement, which lets reads and writes through.',
  },
  check(ctx) {
    if (tableCreatedEarlier(ctx, ctx.parsed.table)) return [];
    return ctx.parsed.alterCommands
      .filter((c) => c.kind === 'add-constraint' && c.constraint?.kind === 'check' && !c.constraint.notValid)
      .map((c) => ({ message: `CHECK constraint${c.constraint?.name ? ` ${c.constraint.name}` : ''} on ${ctx.parsed.table ?? 'the table'} is validated under an ACCESS EXCLUSIVE lock; add it NOT VALID and validate separately.` }));
  },
};
