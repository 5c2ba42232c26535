import type { Rule } from '../Rule';

/** Which tools wrap a migration in a transaction is the engine's to know (RuleContext.transaction), not this rule's. */

export const nestedTransaction: Rule = {
  id: 'nested-transaction',
  dialects: ['postgres', 'mysql', 'sqlite'],
  severity: 'error',
  docs: {
    problem:
      'A BEGIN inside a transaction that is already open does not nest: PostgreSQL only warns and carries on, MySQL commits the open transaction first, SQLite fails. The COMMIT that follows then ends the outer transaction (the tool\'s own), so the rest of the migration runs outside it and a failure can no longer be rolled back as a whole.',
    solution:
      "Write no BEGIN/COMMIT in a migration the tool already runs in a transaction, or turn the tool's transaction off for it (goose `-- +goose NO TRANSACTION`, dbmate `transaction:false`, Liquibase `runInTransaction=\"false\"`, Flyway `executeInTransaction=false`). Use SAVEPOINT for a partial rollback.",
  },
  check(ctx) {
    // An implicit block (golang-migrate, Prisma: one query string) turns explicit at a BEGIN instead of nesting.
    if (ctx.parsed.kind !== 'begin' || !ctx.inTransaction || ctx.transaction === 'implicit') return [];
    const where = ctx.transaction === 'begin' ? 'an earlier BEGIN in this migration is still open' : `${ctx.migration.format} already runs this migration in a transaction`;
    return [{ message: `BEGIN inside an open transaction: ${where}.` }];
  },
};
