import type { ColumnSpec } from '../parse/ParsedStatement';
import type { Rule } from '../Rule';

/**
 * PostgreSQL convention: varchar(n) is text with a length check that can only be changed by ALTER TYPE, so Quarry
 * prefers text, with a CHECK where a limit is a real business rule. Plain varchar (no n) is text and is not flagged.
 */
export const preferTextOverVarchar: Rule = {
  id: 'prefer-text-over-varchar',
  dialects: ['postgres'],
  severity: 'info',
  docs: {
    problem:
      'On PostgreSQL varchar(n) is stored exactly like text and is no faster; the n only adds a limit. Changing that limit later is an ALTER COLUMN TYPE under an ACCESS EXCLUSIVE lock (and a full scan or rewrite when it shrinks), and a too-small n turns real data into insert errors.',
    solution: 'Use text. Where a maximum length is a real rule, add CHECK (char_length(col) <= n), which can be changed with NOT VALID and VALIDATE without blocking writes.',
  },
  check(ctx) {
    const columns: ColumnSpec[] = [...ctx.parsed.columns];
    for (const c of ctx.parsed.alterCommands) if ((c.kind === 'add-column' || c.kind === 'alter-column-type') && c.columnSpec) columns.push(c.columnSpec);
    return columns
      .filter((c) => c.type === 'varchar' && c.length !== undefined)
      .map((c) => ({ message: `${c.name} is varchar(${c.length}); prefer text, with a CHECK if the limit matters.` }));
  },
};
