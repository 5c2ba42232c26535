import type { Rule } from '../Rule';
import type { ColumnSpec } from '../parse/ParsedStatement';

export const preferTimestamptz: Rule = {
  id: 'prefer-timestamptz',
  dialects: ['postgres'],
  severity: 'info',
  docs: {
    problem: 'timestamp (without time zone) stores wall-clock values: the same instant written from servers or sessions in different time zones compares wrong, and DST shifts are lost.',
    solution: 'Use timestamptz, which stores an absolute instant and converts on display.',
  },
  check(ctx) {
    const s = ctx.parsed;
    const columns: ColumnSpec[] = [
      ...s.columns,
      ...s.alterCommands.flatMap((c) => ((c.kind === 'add-column' || c.kind === 'alter-column-type') && c.columnSpec ? [{ ...c.columnSpec, name: c.column ?? c.columnSpec.name }] : [])),
    ];
    return columns.filter((c) => c.type === 'timestamp').map((c) => ({ message: `Column ${c.name} is timestamp without time zone; use timestamptz.` }));
  },
};
