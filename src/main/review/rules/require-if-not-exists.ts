import type { Rule } from '../Rule';

export const requireIfNotExists: Rule = {
  id: 'require-if-not-exists',
  dialects: ['postgres', 'sqlite'],
  severity: 'info',
  docs: {
    problem: 'A CREATE without IF NOT EXISTS fails when the object is already there, so a migration that stopped half-way (outside a transaction) cannot simply be run again. Migrations run in a transaction are not flagged.',
    solution: 'Write CREATE TABLE / CREATE INDEX / ADD COLUMN … IF NOT EXISTS.',
  },
  check(ctx) {
    // Inside a transaction a failed migration leaves nothing behind to trip over on the re-run.
    if (ctx.inTransaction) return [];
    const s = ctx.parsed;
    if ((s.kind === 'create-table' || s.kind === 'create-index') && !s.ifNotExists) {
      return [{ message: `${s.kind === 'create-table' ? 'CREATE TABLE' : 'CREATE INDEX'} ${(s.kind === 'create-table' ? s.table : s.objectName) ?? ''} has no IF NOT EXISTS.` }];
    }
    return s.alterCommands.filter((c) => c.kind === 'add-column' && !c.ifNotExists).map((c) => ({ message: `ADD COLUMN ${c.column ?? '?'} has no IF NOT EXISTS.` }));
  },
};
