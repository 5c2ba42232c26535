import type { Rule } from '../Rule';
import type { ColumnSpec } from '../parse/ParsedStatement';

/** Binary floating-point type names as the parsers spell them. */
const FLOAT_TYPES = new Set(['float4', 'float8', 'float', 'double', 'real', 'double precision']);
/** Column names that hold amounts of money: the word on its own or at an end of a snake_case name. */
const MONEY_NAME = /(^|_)(price|amount|total|cost|balance|fee|fees|tax|subtotal|discount|salary|payment|revenue|money|paid|refund)(_|$)/i;

export const moneyAsFloat: Rule = {
  id: 'money-as-float',
  dialects: ['postgres', 'mysql', 'sqlite'],
  severity: 'warning',
  docs: {
    problem: 'Binary floating point cannot hold most decimal fractions exactly (0.1 + 0.2 ≠ 0.3): sums of prices drift by cents.',
    solution: 'Store money as numeric/decimal with the scale you need (numeric(12,2)), or as an integer count of the smallest unit (cents).',
  },
  check(ctx) {
    const s = ctx.parsed;
    const columns: ColumnSpec[] = [
      ...s.columns,
      ...s.alterCommands.flatMap((c) => ((c.kind === 'add-column' || c.kind === 'alter-column-type') && c.columnSpec ? [{ ...c.columnSpec, name: c.newName ?? c.column ?? c.columnSpec.name }] : [])),
    ];
    return columns
      .filter((c) => FLOAT_TYPES.has(c.type) && MONEY_NAME.test(c.name))
      .map((c) => ({ message: `${c.name} looks like money but is ${c.type}, a binary floating-point type; use numeric/decimal.` }));
  },
};
