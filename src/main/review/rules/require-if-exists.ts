import type { Rule } from '../Rule';

export const requireIfExists: Rule = {
  id: 'require-if-exists',
  dialects: ['postgres', 'sqlite'],
  severity: 'info',
  docs: {
    problem: 'A DROP without IF EXISTS fails when the object is already gone, so a migration that stopped half-way (outside a transaction) cannot simply be run again. Migrations run in a transaction are not flagged.',
    solution: 'Write DROP TABLE / DROP INDEX / DROP COLUMN … IF EXISTS.',
  },
  check(ctx) {
    // Inside a transaction a failed migration leaves nothing behind to trip over on the re-run.
    if (ctx.inTransaction) return [];
    const s = ctx.parsed;
    if ((s.kind === 'drop-table' || s.kind === 'drop-index') && !s.ifExists) {
      return [{ message: `${s.kind === 'drop-table' ? 'DROP TABLE' : 'DROP INDEX'} ${s.kind === 'drop-table' ? s.tables.join(', ') : (s.objectName ?? '')} has no IF EXISTS.` }];
    }
    return s.alterCommands.filter((c) => c.kind === 'drop-column' && !c.ifExists).map((c) => ({ message: `DROP COLUMN ${c.column ?? '?'} has no IF EXISTS.` }));
  },
};
