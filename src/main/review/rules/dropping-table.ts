import type { Rule } from '../Rule';

export const droppingTable: Rule = {
  id: 'dropping-table',
  dialects: ['postgres', 'mysql', 'sqlite'],
  severity: 'warning',
  docs: {
    problem: 'DROP TABLE deletes the data for good, and any running code that still reads the table starts failing.',
    solution: 'Stop using the table in a release first, keep a backup or rename it aside for a while, then drop it; suppress with `-- quarry-ignore dropping-table` once that is done.',
  },
  check(ctx) {
    const s = ctx.parsed;
    if (s.kind !== 'drop-table') return [];
    return [{ message: `DROP TABLE ${s.tables.join(', ') || '?'} deletes the data for good.` }];
  },
};
