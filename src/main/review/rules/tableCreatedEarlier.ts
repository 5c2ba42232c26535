import type { RuleContext } from '../Rule';

/**
 * Whether the migration creates `table` before the current statement: a table nobody else can see yet takes no
 * traffic, so locking or rewriting it is harmless.
 */
export function tableCreatedEarlier(ctx: RuleContext, table: string | undefined): boolean {
  if (!table) return false;
  const name = table.toLowerCase();
  return ctx.statements.slice(0, ctx.index).some((s) => s.parsed?.kind === 'create-table' && s.parsed.table?.toLowerCase() === name);
}
