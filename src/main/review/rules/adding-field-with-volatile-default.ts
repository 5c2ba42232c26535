import type { Rule } from '../Rule';
import { tableCreatedEarlier } from './tableCreatedEarlier';

/** PostgreSQL 11 stores a non-volatile default in the catalog instead of rewriting the table. */
const FAST_DEFAULT_SINCE = 11;

export const addingFieldWithVolatileDefault: Rule = {
  id: 'adding-field-with-volatile-default',
  dialects: ['postgres'],
  severity: 'warning',
  docs: {
    problem: 'ADD COLUMN with a volatile default (random(), gen_random_uuid(), clock_timestamp() …) rewrites the whole table under an ACCESS EXCLUSIVE lock. Before PostgreSQL 11 any default does.',
    solution: 'Add the column without a default (or with a constant one), set the default in a second statement, and backfill existing rows in batches.',
  },
  check(ctx) {
    if (tableCreatedEarlier(ctx, ctx.parsed.table)) return [];
    const oldServer = ctx.serverVersion !== undefined && ctx.serverVersion < FAST_DEFAULT_SINCE;
    return ctx.parsed.alterCommands.flatMap((c) => {
      const d = c.kind === 'add-column' ? c.columnSpec?.default : undefined;
      if (!d) return [];
      if (oldServer) return [{ message: `Adding ${c.column} with a default rewrites the table on PostgreSQL ${ctx.serverVersion}.` }];
      if (d.volatility === 'volatile') return [{ message: `Adding ${c.column} with the volatile default ${d.text} rewrites the whole table.` }];
      if (d.volatility === 'unknown') return [{ message: `Adding ${c.column} with the default ${d.text} rewrites the whole table if that expression is volatile.` }];
      return [];
    });
  },
};
