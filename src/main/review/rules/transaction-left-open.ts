import type { Rule } from '../Rule';

export const transactionLeftOpen: Rule = {
  id: 'transaction-left-open',
  dialects: ['postgres', 'mysql', 'sqlite'],
  severity: 'error',
  docs: {
    problem:
      'The migration opens a transaction with BEGIN and never ends it. What the tool does next depends on the tool: the open transaction may be rolled back when the connection closes (the migration silently did nothing), or it keeps its locks until the session ends.',
    solution: 'End every BEGIN with COMMIT in the same migration, or leave transaction handling to the migration tool and write no BEGIN at all.',
  },
  check(ctx) {
    if (ctx.parsed.kind !== 'begin') return [];
    const closed = ctx.statements.slice(ctx.index + 1).some((s) => s.parsed?.kind === 'commit' || s.parsed?.kind === 'rollback');
    return closed ? [] : [{ message: 'This BEGIN has no COMMIT or ROLLBACK after it in the migration.' }];
  },
};
