import type { Rule } from '../Rule';

export const requireConcurrentIndexDeletion: Rule = {
  id: 'require-concurrent-index-deletion',
  dialects: ['postgres'],
  severity: 'warning',
  docs: {
    problem: "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index's table: while it waits for running queries, every new query on the table queues behind it.",
    solution: 'Use DROP INDEX CONCURRENTLY, outside a transaction.',
  },
  check(ctx) {
    const s = ctx.parsed;
    if (s.kind !== 'drop-index' || s.concurrently) return [];
    return [{ message: `DROP INDEX${s.objectName ? ` ${s.objectName}` : ''} locks its table against reads and writes; use DROP INDEX CONCURRENTLY.` }];
  },
};
