import type { MigrationFormat } from '../../../shared/domain/review';
import type { Rule } from '../Rule';

/** Formats whose migrations normally carry their own down part. Flyway's undo is a paid feature, so its absence is not flagged; plain SQL and Prisma have none. */
const HAS_DOWNS: ReadonlySet<MigrationFormat> = new Set(['golang-migrate', 'dbmate', 'goose']);

export const missingDown: Rule = {
  id: 'missing-down',
  dialects: ['postgres', 'mysql', 'sqlite'],
  severity: 'warning',
  docs: {
    problem:
      'The migration has no down part (golang-migrate `.down.sql`, dbmate `-- migrate:down`, goose `-- +goose Down`), or is a Liquibase changeset with a change Liquibase cannot roll back by itself (sql, sqlFile, dropTable, dropColumn …) and no rollback Quarry could read. Rolling back a bad deploy then means writing the reverse by hand, under pressure, and reversibility cannot be proven.',
    solution: 'Write the down part now, while the change is fresh, and let Quarry prove it restores the schema. For a change that cannot be undone (a dropped column), write a down that fails loudly or say so with `-- quarry-ignore missing-down`.',
  },
  check(ctx) {
    const m = ctx.migration;
    // One finding per migration, on its first statement.
    if (ctx.index !== 0 || m.down !== undefined) return [];
    if (HAS_DOWNS.has(m.format)) return [{ message: `Migration ${m.id} has no down part.` }];
    if (m.format === 'liquibase') {
      const manual = (m.changeTypes ?? []).filter((t) => !t.autoRollback).map((t) => t.type);
      if (manual.length > 0) return [{ message: `Changeset ${m.id} has no rollback, and Liquibase cannot roll back ${[...new Set(manual)].join(', ')} by itself.` }];
    }
    return [];
  },
};
