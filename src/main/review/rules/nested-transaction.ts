import type { MigrationFormat } from '../../../shared/domain/review';
import type { Rule } from '../Rule';

/**
 * Tools that wrap every migration in their own transaction unless the migration opts out. golang-migrate and Prisma
 * are left out: they send the file as one query, and a BEGIN there turns the implicit block into an explicit one.
 */
const TOOL_WRAPS: ReadonlySet<MigrationFormat> = new Set(['dbmate', 'goose', 'liquibase', 'flyway']);

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
    if (ctx.parsed.kind !== 'begin') return [];
    let open = ctx.migration.transactional ?? (TOOL_WRAPS.has(ctx.migration.format) && !(ctx.migration.format === 'flyway' && ctx.statements.some((s) => s.parsed?.concurrently)));
    const outer = open;
    let explicit = false;
    for (const s of ctx.statements.slice(0, ctx.index)) {
      if (s.parsed?.kind === 'begin') {
        open = true;
        explicit = true;
      }
      if (s.parsed?.kind === 'commit' || s.parsed?.kind === 'rollback') {
        // The first COMMIT ends whichever transaction is open, the tool's included.
        open = false;
        explicit = false;
      }
    }
    if (!open) return [];
    const where = explicit || !outer ? 'an earlier BEGIN in this migration is still open' : `${ctx.migration.format} already runs this migration in a transaction`;
    return [{ message: `BEGIN inside an open transaction: ${where}.` }];
  },
};
