import type { Rule } from '../Rule';
import { tableCreatedEarlier } from './tableCreatedEarlier';
import { describeType, typeNarrowing } from './typeNarrowing';

export const narrowingType: Rule = {
  id: 'narrowing-type',
  // SQLite cannot change a column's type in place, and its declared types do not limit what a column holds.
  dialects: ['postgres', 'mysql'],
  severity: 'warning',
  docs: {
    problem:
      'The new column type holds less than the old one (bigint → int, varchar(200) → varchar(50), text → varchar(n), numeric(12,2) → numeric(10,2), timestamptz → timestamp, an ENUM member removed). Rows that no longer fit make the migration fail half-way on PostgreSQL and MySQL in strict mode; outside strict mode MySQL silently truncates or clips them. Precision, fractions and time zones are lost without any error.',
    solution:
      'Check the data first (SELECT max(length(col)), min(col), max(col) …) and fix or archive the rows that do not fit, or keep the wider type. To shrink safely, add a new column of the narrow type, backfill it with an explicit conversion, switch the application over, then drop the old column.',
  },
  check(ctx) {
    const table = ctx.parsed.table;
    // A table this migration created holds no rows yet.
    if (ctx.parsed.kind !== 'alter-table' || tableCreatedEarlier(ctx, table)) return [];
    return ctx.parsed.alterCommands.flatMap((c) => {
      if (c.kind !== 'alter-column-type' || !c.columnSpec) return [];
      // Unknown old type: no guess. The impact check looks at the data itself when a connection is given.
      const old = ctx.schema.column(table, c.column);
      if (!old) return [];
      const why = typeNarrowing(old, c.columnSpec, ctx.dialect);
      if (!why) return [];
      return [{ message: `Narrowing ${table ?? 'the table'}.${c.column ?? '?'} from ${describeType(old)} to ${describeType(c.columnSpec)}: ${why}.` }];
    });
  },
};
