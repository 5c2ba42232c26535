import type { ParsedStatement } from '../parse/ParsedStatement';
import type { Rule } from '../Rule';

const DDL: ReadonlySet<ParsedStatement['kind']> = new Set(['create-table', 'alter-table', 'create-index', 'drop-index', 'drop-table', 'drop-schema', 'drop-database', 'rename-table']);

/** INSERT … SELECT copies rows in bulk; INSERT … VALUES writes the rows it lists (seed data). */
function insertsFromSelect(s: ParsedStatement): boolean {
  const ast = s.ast as Record<string, Record<string, unknown> | undefined> | undefined;
  if (s.parser === 'libpg-query') {
    const select = (ast?.InsertStmt?.selectStmt as Record<string, Record<string, unknown> | undefined> | undefined)?.SelectStmt;
    return select !== undefined && select.valuesLists === undefined;
  }
  return s.parser === 'node-sql-parser' && (ast?.values as { type?: string } | undefined)?.type === 'select';
}

function isBackfill(s: ParsedStatement): boolean {
  return s.kind === 'update' || s.kind === 'delete' || (s.kind === 'insert' && insertsFromSelect(s));
}

export const backfillMixedWithDdl: Rule = {
  id: 'backfill-mixed-with-ddl',
  dialects: ['postgres', 'mysql', 'sqlite'],
  severity: 'warning',
  docs: {
    problem:
      'An UPDATE, DELETE or INSERT … SELECT in the same migration as schema changes. In a transaction the locks the DDL took are held for as long as the backfill runs, which on a large table blocks the application; on MySQL, whose DDL commits implicitly, a failing backfill leaves the schema changed and the data half-migrated.',
    solution: 'Put schema changes and data backfills in separate migrations, and run large backfills in batches (by key range) outside the deploy, so each commits quickly.',
  },
  check(ctx) {
    const s = ctx.parsed;
    if (!isBackfill(s)) return [];
    const ddl = ctx.statements.find((o) => o.parsed && DDL.has(o.parsed.kind));
    if (!ddl) return [];
    const what = s.kind === 'insert' ? 'INSERT … SELECT' : s.kind.toUpperCase();
    return [{ message: `${what} runs in the same migration as schema changes (line ${ddl.statement.location.line}).` }];
  },
};
