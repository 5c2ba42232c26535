import type { Rule } from '../Rule';
import { tableCreatedEarlier } from './tableCreatedEarlier';

/** serial types carry a sequence default of their own. */
const SELF_FILLING = new Set(['serial', 'bigserial', 'smallserial', 'serial2', 'serial4', 'serial8']);

export const addingNotNullColumnWithoutDefault: Rule = {
  id: 'adding-not-null-column-without-default',
  // MySQL/MariaDB are left out on purpose: they accept the column, even in strict mode, and fill existing rows with the type's implicit default (0, '').
  dialects: ['postgres', 'sqlite'],
  severity: 'error',
  docs: {
    problem:
      'Adding a NOT NULL (or PRIMARY KEY) column without a default fails as soon as the table has a row: PostgreSQL cannot fill the existing rows ("column contains null values"), and SQLite refuses the ALTER ("Cannot add a NOT NULL column with default value NULL"; a PRIMARY KEY column cannot be added at all).',
    solution: 'Give the column a constant DEFAULT (PostgreSQL 11+ adds it without a rewrite), or add it nullable, backfill it in batches, then add the NOT NULL constraint (on PostgreSQL via a CHECK … NOT VALID, VALIDATE, then SET NOT NULL).',
  },
  check(ctx) {
    // A table made in this migration is still empty.
    if (tableCreatedEarlier(ctx, ctx.parsed.table)) return [];
    return ctx.parsed.alterCommands
      .filter((c) => c.kind === 'add-column' && c.columnSpec)
      .filter((c) => {
        const col = c.columnSpec!;
        return (col.notNull || col.primaryKey) && !col.default && !col.generated && !SELF_FILLING.has(col.type);
      })
      .map((c) => ({ message: `${ctx.parsed.table ?? 'The table'}.${c.column ?? '?'} is added NOT NULL (or PRIMARY KEY) without a default; existing rows have no value for it.` }));
  },
};
