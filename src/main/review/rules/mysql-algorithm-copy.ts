import type { Rule, RuleHit } from '../Rule';
import { onlineDdlOf, onlineDdlRefusal } from './mysqlOnlineDdl';
import { tableCreatedEarlier } from './tableCreatedEarlier';

export const mysqlAlgorithmCopy: Rule = {
  id: 'mysql-algorithm-copy',
  dialects: ['mysql'],
  severity: 'warning',
  docs: {
    problem:
      "ALGORITHM=COPY rebuilds the table row by row and LOCK=EXCLUSIVE (or LOCK=SHARED) blocks writes, or all access, for the whole rebuild. Some operations force that copy whatever the statement asks: dropping the primary key without adding another, adding a foreign key while foreign_key_checks is on (MySQL and MariaDB build it in place only with the checks off), changing a column's data type. With ALGORITHM=INPLACE or INSTANT the server refuses the ALTER instead (mysql-online-ddl-refused). (Type, ENUM and ADD COLUMN changes are judged by changing-column-type, mysql-enum-change and mysql-add-column-rebuild.)",
    solution:
      'Ask for ALGORITHM=INSTANT or ALGORITHM=INPLACE, LOCK=NONE: the server then refuses instead of silently locking; replace a primary key in one ALTER (DROP PRIMARY KEY, ADD PRIMARY KEY …); add a foreign key after SET foreign_key_checks = 0 (existing rows are then not checked: check them first); for changes that need a copy use gh-ost or pt-online-schema-change.',
  },
  check(ctx) {
    const table = ctx.parsed.table ?? 'the table';
    const theTable = ctx.parsed.table ? `the table ${ctx.parsed.table}` : 'the table';
    const commands = ctx.parsed.alterCommands;
    const hits: RuleHit[] = commands.flatMap((c) => {
      if (c.kind === 'algorithm' && c.value === 'COPY') return [{ message: `ALGORITHM=COPY rebuilds ${table} while blocking writes.` }];
      if (c.kind === 'lock' && (c.value === 'EXCLUSIVE' || c.value === 'SHARED')) return [{ message: `LOCK=${c.value} blocks ${c.value === 'EXCLUSIVE' ? 'reads and writes' : 'writes'} on ${table} for the whole change.` }];
      return [];
    });
    if (ctx.parsed.kind !== 'alter-table' || tableCreatedEarlier(ctx, ctx.parsed.table)) return hits;
    // A refused ALTER copies nothing (mysql-online-ddl-refused reports it); ALGORITHM=COPY is reported above.
    if (onlineDdlRefusal(ctx) || commands.some((c) => c.kind === 'algorithm' && c.value === 'COPY')) return hits;
    // A type change that copies is changing-column-type's finding, and ADD COLUMN's mysql-add-column-rebuild's; these copies have no other rule to name them.
    for (const c of commands) {
      if (c.kind !== 'add-constraint' && c.kind !== 'drop-constraint' && c.kind !== 'other') continue;
      const ddl = onlineDdlOf(c, commands, ctx);
      if (ddl?.algorithm === 'COPY') hits.push({ message: `${ddl.what.charAt(0).toUpperCase()}${ddl.what.slice(1)} copies ${theTable} under a write lock (ALGORITHM=COPY).` });
    }
    return hits;
  },
};
