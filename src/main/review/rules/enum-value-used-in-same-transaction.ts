import type { Rule } from '../Rule';

export const enumValueUsedInSameTransaction: Rule = {
  id: 'enum-value-used-in-same-transaction',
  dialects: ['postgres'],
  minServerVersion: { postgres: 12 },
  severity: 'error',
  docs: {
    problem:
      'A value added with ALTER TYPE … ADD VALUE cannot be used until the transaction that added it commits: PostgreSQL fails with "unsafe use of new value" when a later statement of the same transaction (a backfill, a default, a CHECK) uses it.',
    solution: 'Add the enum value in one migration (or after a COMMIT), and use it in the next one.',
  },
  check(ctx) {
    const stmt = (ctx.parsed.ast as { AlterEnumStmt?: { newVal?: string; oldVal?: string } } | undefined)?.AlterEnumStmt;
    if (!stmt?.newVal || stmt.oldVal !== undefined || !ctx.inTransaction) return [];
    const literal = `'${stmt.newVal.replaceAll("'", "''")}'`;
    for (const later of ctx.statements.slice(ctx.index + 1)) {
      const kind = later.parsed?.kind;
      if (kind === 'commit' || kind === 'rollback') break;
      // A string literal equal to the new value is the use PostgreSQL refuses (a cast, a comparison, a default).
      if (later.statement.sql.includes(literal)) {
        return [{ message: `${literal} is used at line ${later.statement.location.line} in the same transaction that adds it.` }];
      }
    }
    return [];
  },
};
