import type { Rule } from '../Rule';

export const reindexWithoutConcurrently: Rule = {
  id: 'reindex-without-concurrently',
  dialects: ['postgres'],
  minServerVersion: { postgres: 12 },
  severity: 'warning',
  docs: {
    problem: 'REINDEX without CONCURRENTLY locks out writes to the table, and reads through the index being rebuilt, until the whole index is rebuilt.',
    solution: 'Use REINDEX … CONCURRENTLY (PostgreSQL 12+), outside a transaction. REINDEX SYSTEM cannot run concurrently; run it in a maintenance window.',
  },
  check(ctx) {
    const stmt = (ctx.parsed.ast as { ReindexStmt?: { params?: { DefElem?: { defname?: string } }[] } } | undefined)?.ReindexStmt;
    if (!stmt) return [];
    if ((stmt.params ?? []).some((p) => p.DefElem?.defname === 'concurrently')) return [];
    return [{ message: 'REINDEX without CONCURRENTLY blocks writes to the table while it runs.' }];
  },
};
