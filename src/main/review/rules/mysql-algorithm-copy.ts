import type { Rule, RuleHit } from '../Rule';
import { tableCreatedEarlier } from './tableCreatedEarlier';
import { typeChangeInPlace } from './typeChangeInPlace';

export const mysqlAlgorithmCopy: Rule = {
  id: 'mysql-algorithm-copy',
  dialects: ['mysql'],
  severity: 'warning',
  docs: {
    problem:
      'ALGORITHM=COPY rebuilds the table row by row and LOCK=EXCLUSIVE (or LOCK=SHARED) blocks writes, or all access, for the whole rebuild. Some operations force that copy whatever the statement asks: changing a column\'s data type, dropping the primary key without adding another; with ALGORITHM=INPLACE or INSTANT, MySQL then refuses the ALTER instead. (Type, ENUM and ADD COLUMN changes are also judged by changing-column-type, mysql-enum-change and mysql-add-column-rebuild.)',
    solution:
      'Ask for ALGORITHM=INSTANT or ALGORITHM=INPLACE, LOCK=NONE: MySQL then refuses instead of silently locking; replace a primary key in one ALTER (DROP PRIMARY KEY, ADD PRIMARY KEY …); for changes that need a copy use gh-ost or pt-online-schema-change.',
  },
  check(ctx) {
    const table = ctx.parsed.table ?? 'the table';
    const commands = ctx.parsed.alterCommands;
    const hits: RuleHit[] = commands.flatMap((c) => {
      if (c.kind === 'algorithm' && c.value === 'COPY') return [{ message: `ALGORITHM=COPY rebuilds ${table} while blocking writes.` }];
      if (c.kind === 'lock' && (c.value === 'EXCLUSIVE' || c.value === 'SHARED')) return [{ message: `LOCK=${c.value} blocks ${c.value === 'EXCLUSIVE' ? 'reads and writes' : 'writes'} on ${table} for the whole change.` }];
      return [];
    });
    if (ctx.parsed.kind !== 'alter-table' || tableCreatedEarlier(ctx, ctx.parsed.table)) return hits;
    const asked = commands.find((c) => c.kind === 'algorithm')?.value;
    const copies: string[] = [];
    const dropsPrimary = commands.some((c) => c.kind === 'drop-constraint' && c.constraint?.kind === 'primary-key');
    const addsPrimary = commands.some((c) => c.kind === 'add-constraint' && c.constraint?.kind === 'primary-key');
    if (dropsPrimary && !addsPrimary) copies.push('dropping the primary key without adding another');
    for (const c of commands) {
      if (c.kind !== 'alter-column-type' || !c.columnSpec) continue;
      const old = ctx.schema.column(ctx.parsed.table, c.column);
      if (old && !typeChangeInPlace(old, c.columnSpec, ctx.dialect)) copies.push(`changing the data type of ${c.column ?? '?'}`);
    }
    if (asked === 'INPLACE' || asked === 'INSTANT') {
      const what = copies.join(' and ');
      if (what) hits.push({ message: `${what.charAt(0).toUpperCase()}${what.slice(1)} needs ALGORITHM=COPY, so the server refuses this ALTER (ALGORITHM=${asked}).` });
    } else if (asked !== 'COPY' && dropsPrimary && !addsPrimary) {
      // A plain type change is changing-column-type's finding; this copy has no other rule to name it.
      hits.push({ message: `Dropping the primary key of ${table} without adding another copies the table under a write lock (ALGORITHM=COPY).` });
    }
    return hits;
  },
};
