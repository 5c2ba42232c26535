import type { Rule } from '../Rule';

export const concurrentlyInTransaction: Rule = {
  id: 'concurrently-in-transaction',
  dialects: ['postgres'],
  severity: 'error',
  docs: {
    problem: 'CREATE INDEX CONCURRENTLY and DROP INDEX CONCURRENTLY cannot run inside a transaction block: PostgreSQL rejects them and the migration fails.',
    solution: "Run the statement outside a transaction: its own migration with the tool's no-transaction switch (goose `-- +goose NO TRANSACTION`, dbmate `transaction:false`, Liquibase `runInTransaction=\"false\"`, Flyway `executeInTransaction=false`), and no BEGIN around it.",
  },
  check(ctx) {
    const s = ctx.parsed;
    if (!s.concurrently || !ctx.inTransaction) return [];
    const what = s.kind === 'drop-index' ? 'DROP INDEX CONCURRENTLY' : 'CREATE INDEX CONCURRENTLY';
    return [{ message: `${what} cannot run inside a transaction, and this migration runs in one.` }];
  },
};
