import type { Rule } from '../Rule';
import type { ColumnSpec } from '../parse/ParsedStatement';

export const preferTextOverChar: Rule = {
  id: 'prefer-text-over-char',
  dialects: ['postgres'],
  severity: 'info',
  docs: {
    problem: 'char(n) pads values with spaces, compares in surprising ways, and is no faster than text in PostgreSQL.',
    solution: 'Use text (with a CHECK on length if one matters).',
  },
  check(ctx) {
    const s = ctx.parsed;
    const columns: ColumnSpec[] = [
      ...s.columns,
      ...s.alterCommands.flatMap((c) => ((c.kind === 'add-column' || c.kind === 'alter-column-type') && c.columnSpec ? [{ ...c.columnSpec, name: c.column ?? c.columnSpec.name }] : [])),
    ];
    // PostgreSQL spells char(n) and character(n) as bpchar.
    return columns.filter((c) => c.type === 'bpchar').map((c) => ({ message: `Column ${c.name} is char(n); use text.` }));
  },
};
