import type { Rule } from '../Rule';

export const droppingDatabaseOrSchema: Rule = {
  id: 'dropping-database-or-schema',
  dialects: ['postgres', 'mysql'],
  severity: 'error',
  docs: {
    problem: 'DROP DATABASE or DROP SCHEMA deletes every table in it; in a migration it is almost always a mistake.',
    solution: 'Do it by hand, after a backup, outside the migration history.',
  },
  check(ctx) {
    const s = ctx.parsed;
    if (s.kind === 'drop-database') return [{ message: `DROP DATABASE ${s.objectName ?? '?'} deletes every table in it.` }];
    if (s.kind === 'drop-schema') return [{ message: `DROP SCHEMA ${s.objectName ?? '?'} deletes every object in it.` }];
    return [];
  },
};
