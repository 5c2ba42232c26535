import type { Rule } from '../Rule';

export const vacuumFullOrCluster: Rule = {
  id: 'vacuum-full-or-cluster',
  dialects: ['postgres'],
  severity: 'error',
  docs: {
    problem: 'VACUUM FULL and CLUSTER rewrite the table under an ACCESS EXCLUSIVE lock: the table is unreadable until they finish.',
    solution: 'Leave routine cleanup to autovacuum; to reclaim space online use pg_repack or pg_squeeze, outside migrations.',
  },
  check(ctx) {
    const s = ctx.parsed;
    if (s.kind === 'cluster') return [{ message: `CLUSTER${s.table ? ` ${s.table}` : ''} rewrites the table under an ACCESS EXCLUSIVE lock.` }];
    if (s.kind === 'vacuum' && s.full) return [{ message: `VACUUM FULL${s.table ? ` ${s.table}` : ''} rewrites the table under an ACCESS EXCLUSIVE lock.` }];
    return [];
  },
};
