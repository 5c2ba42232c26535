import type { Rule } from '../Rule';

export const droppingColumn: Rule = {
  id: 'dropping-column',
  dialects: ['postgres', 'mysql', 'sqlite'],
  severity: 'warning',
  docs: {
    problem: 'DROP COLUMN deletes the data for good, and running code that still selects or writes the column fails (ORMs that list columns explicitly break at once).',
    solution: 'Stop reading and writing the column in a release first (ignore it in the ORM), then drop it in a later migration.',
  },
  check(ctx) {
    return ctx.parsed.alterCommands
      .filter((c) => c.kind === 'drop-column')
      .map((c) => ({ message: `Dropping ${ctx.parsed.table ?? 'the table'}.${c.column ?? '?'} deletes its data and breaks code that still uses it.` }));
  },
};
