import type { Dialect } from '../../../shared/domain/connection';
import type { Rule } from '../Rule';
import { tableCreatedEarlier } from './tableCreatedEarlier';

/** serial types carry a sequence default of their own. */
const SELF_FILLING = new Set(['serial', 'bigserial', 'smallserial', 'serial2', 'serial4', 'serial8']);

/** Whether the dialect accepts the column on a table with no rows: SQLite refuses it on any table. */
const FINE_ON_EMPTY_TABLE: Record<Dialect, boolean> = { postgres: true, mysql: true, sqlite: false };

export const addingNotNullColumnWithoutDefault: Rule = {
  id: 'adding-not-null-column-without-default',
  // MySQL is left out on purpose: it accepts the column and fills existing rows with the type's implicit default (0, '').
  dialects: ['postgres', 'sqlite'],
  severity: 'error',
  docs: {
    problem:
      'Adding a NOT NULL (or PRIMARY KEY) column without a default fails as soon as the table has a row: PostgreSQL cannot fill the existing rows ("column contains null values"), and SQLite refuses the ALTER even on an empty table ("Cannot add a NOT NULL column with default value NULL").',
    solution: 'Give the column a constant DEFAULT (PostgreSQL 11+ adds it without a rewrite), or add it nullable, backfill it in batches, then add the NOT NULL constraint (on PostgreSQL via a CHECK … NOT VALID, VALIDATE, then SET NOT NULL).',
  },
  check(ctx) {
    // A table made in this migration is still empty.
    if (FINE_ON_EMPTY_TABLE[ctx.dialect] && tableCreatedEarlier(ctx, ctx.parsed.table)) return [];
    return ctx.parsed.alterCommands
      .filter((c) => c.kind === 'add-column' && c.columnSpec)
      .filter((c) => {
        const col = c.columnSpec!;
        return (col.notNull || col.primaryKey) && !col.default && !col.generated && !SELF_FILLING.has(col.type);
      })
      .map((c) => ({ message: `${ctx.parsed.table ?? 'The table'}.${c.column ?? '?'} is added NOT NULL without a default; existing rows have no value for it.` }));
  },
};
