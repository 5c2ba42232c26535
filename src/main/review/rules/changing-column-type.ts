import type { Rule } from '../Rule';
import { tableCreatedEarlier } from './tableCreatedEarlier';
import { typeChangeInPlace } from './typeChangeInPlace';
import { describeType } from './typeNarrowing';

export const changingColumnType: Rule = {
  id: 'changing-column-type',
  dialects: ['postgres', 'mysql'],
  severity: 'warning',
  docs: {
    problem: 'Changing a column type usually rewrites the table and its indexes while holding a lock that blocks reads and writes (PostgreSQL ACCESS EXCLUSIVE; MySQL ALGORITHM=COPY).',
    solution:
      'Add a new column, backfill it in batches, switch the application over, then drop the old column. Changes the server makes in its catalog alone are not flagged when Quarry knows the old type: widening varchar or varchar to text on PostgreSQL, extending a MySQL VARCHAR within the same length-byte size, appending ENUM members.',
  },
  check(ctx) {
    const table = ctx.parsed.table;
    if (tableCreatedEarlier(ctx, table)) return [];
    return ctx.parsed.alterCommands.flatMap((c) => {
      if (c.kind !== 'alter-column-type') return [];
      const old = ctx.schema.column(table, c.column);
      // MySQL's MODIFY restates the whole column: with the old type known, a NULL / default change is no type change.
      if (old && c.columnSpec && typeChangeInPlace(old, c.columnSpec, ctx.dialect)) return [];
      const from = old ? ` from ${describeType(old)}` : '';
      const to = c.columnSpec?.type ? ` to ${describeType(c.columnSpec)}` : '';
      return [{ message: `Changing the type of ${table ?? 'the table'}.${c.column ?? '?'}${from}${to} may rewrite the table under a lock.` }];
    });
  },
};
