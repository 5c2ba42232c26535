import type { Rule } from '../Rule';

export const enumAddValueInTransaction: Rule = {
  id: 'enum-add-value-in-transaction',
  dialects: ['postgres'],
  severity: 'error',
  docs: {
    problem: 'Before PostgreSQL 12, ALTER TYPE … ADD VALUE cannot run inside a transaction block ("cannot be executed inside a transaction block"), so the migration fails when the tool runs it in one.',
    solution: "Run ADD VALUE in its own migration without a transaction (goose `-- +goose NO TRANSACTION`, dbmate `transaction:false`, Liquibase `runInTransaction=\"false\"`), or target PostgreSQL 12+. Even there, the new value cannot be used until the transaction that added it commits.",
  },
  check(ctx) {
    const stmt = (ctx.parsed.ast as { AlterEnumStmt?: { newVal?: string; oldVal?: string } } | undefined)?.AlterEnumStmt;
    // RENAME VALUE (which has oldVal) is allowed in a transaction.
    if (!stmt?.newVal || stmt.oldVal !== undefined || !ctx.inTransaction) return [];
    // PostgreSQL 12 lifted the restriction; an unknown version is assumed to be a supported one (13+).
    if (ctx.serverVersion === undefined || ctx.serverVersion >= 12) return [];
    return [{ message: `ALTER TYPE … ADD VALUE '${stmt.newVal}' runs inside a transaction, which PostgreSQL ${ctx.serverVersion} refuses.` }];
  },
};
