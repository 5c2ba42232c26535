import type { Rule } from '../Rule';
import { tableCreatedEarlier } from './tableCreatedEarlier';

export const requireConcurrentIndexCreation: Rule = {
  id: 'require-concurrent-index-creation',
  dialects: ['postgres'],
  severity: 'warning',
  docs: {
    problem: 'CREATE INDEX without CONCURRENTLY holds a SHARE lock on the table while the index is built: every INSERT, UPDATE and DELETE waits, for minutes on a large table.',
    solution: 'Use CREATE INDEX CONCURRENTLY, outside a transaction. If it fails it leaves an INVALID index: drop it and retry.',
  },
  check(ctx) {
    const s = ctx.parsed;
    if (s.kind !== 'create-index' || s.concurrently || tableCreatedEarlier(ctx, s.table)) return [];
    return [{ message: `CREATE INDEX${s.objectName ? ` ${s.objectName}` : ''} on ${s.table ?? 'the table'} blocks writes while it builds; use CREATE INDEX CONCURRENTLY.` }];
  },
};
