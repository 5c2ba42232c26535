import type { Rule } from '../Rule';

export const mysqlAlgorithmCopy: Rule = {
  id: 'mysql-algorithm-copy',
  dialects: ['mysql'],
  severity: 'warning',
  docs: {
    problem: 'ALGORITHM=COPY rebuilds the table row by row and LOCK=EXCLUSIVE (or LOCK=SHARED) blocks writes, or all access, for the whole rebuild.',
    solution: 'Ask for ALGORITHM=INSTANT or ALGORITHM=INPLACE, LOCK=NONE: MySQL then refuses instead of silently locking; for changes that need a copy use gh-ost or pt-online-schema-change.',
  },
  check(ctx) {
    return ctx.parsed.alterCommands.flatMap((c) => {
      if (c.kind === 'algorithm' && c.value === 'COPY') return [{ message: `ALGORITHM=COPY rebuilds ${ctx.parsed.table ?? 'the table'} while blocking writes.` }];
      if (c.kind === 'lock' && (c.value === 'EXCLUSIVE' || c.value === 'SHARED')) return [{ message: `LOCK=${c.value} blocks ${c.value === 'EXCLUSIVE' ? 'reads and writes' : 'writes'} on ${ctx.parsed.table ?? 'the table'} for the whole change.` }];
      return [];
    });
  },
};
