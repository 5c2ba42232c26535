import type { Rule } from '../Rule';
import type { ColumnSpec } from '../parse/ParsedStatement';

/** 32-bit integer type names as the parsers spell them. */
const INT32 = new Set(['int4', 'int', 'integer', 'serial', 'serial4', 'mediumint', 'smallint', 'int2', 'smallserial', 'serial2']);

export const preferBigintKeys: Rule = {
  id: 'prefer-bigint-keys',
  dialects: ['postgres', 'mysql'],
  severity: 'info',
  docs: {
    problem: 'A 32-bit primary key runs out at about 2.1 billion rows (or ids burned by rollbacks and sequences); changing the type later rewrites the table and every referencing table.',
    solution: 'Use bigint (bigint GENERATED ALWAYS AS IDENTITY on PostgreSQL, BIGINT UNSIGNED AUTO_INCREMENT on MySQL) for primary keys.',
  },
  check(ctx) {
    const s = ctx.parsed;
    const columns: ColumnSpec[] = [...s.columns, ...s.alterCommands.flatMap((c) => (c.kind === 'add-column' && c.columnSpec ? [c.columnSpec] : []))];
    const keyColumns = new Set(s.constraints.filter((k) => k.kind === 'primary-key').flatMap((k) => k.columns));
    return columns
      .filter((c) => (c.primaryKey || keyColumns.has(c.name)) && INT32.has(c.type))
      .map((c) => ({ message: `Primary key ${s.table ?? ''}.${c.name} is a 32-bit ${c.type}; use bigint.` }));
  },
};
