import type { Rule } from '../Rule';

export const mysqlEnumChange: Rule = {
  id: 'mysql-enum-change',
  dialects: ['mysql'],
  severity: 'warning',
  docs: {
    problem: 'Redefining an ENUM column copies the whole table under a write lock, unless the change only appends values at the end of the list (and the storage size stays the same), which MySQL does in place.',
    solution: 'Only ever append new values at the end of the ENUM list; to remove or reorder values, use a lookup table or an online schema-change tool (gh-ost, pt-online-schema-change).',
  },
  check(ctx) {
    return ctx.parsed.alterCommands
      .filter((c) => c.kind === 'alter-column-type' && c.columnSpec?.type === 'enum')
      .map((c) => ({ message: `Redefining the ENUM ${ctx.parsed.table ?? 'the table'}.${c.column ?? '?'} copies the table unless values are only appended at the end.` }));
  },
};
