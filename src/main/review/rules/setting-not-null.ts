import type { Rule } from '../Rule';
import { tableCreatedEarlier } from './tableCreatedEarlier';

export const settingNotNull: Rule = {
  id: 'setting-not-null',
  dialects: ['postgres'],
  severity: 'warning',
  docs: {
    problem: 'ALTER COLUMN … SET NOT NULL scans the whole table to check for nulls while holding an ACCESS EXCLUSIVE lock.',
    solution: 'Add CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it in a later statement, then SET NOT NULL (PostgreSQL 12+ uses the valid check and skips the scan) and drop the check.',
  },
  check(ctx) {
    if (tableCreatedEarlier(ctx, ctx.parsed.table)) return [];
    return ctx.parsed.alterCommands
      .filter((c) => c.kind === 'set-not-null')
      .map((c) => ({ message: `SET NOT NULL on ${ctx.parsed.table ?? 'the table'}.${c.column ?? '?'} scans the table under an ACCESS EXCLUSIVE lock.` }));
  },
};
