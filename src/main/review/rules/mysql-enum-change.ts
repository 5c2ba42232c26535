import type { Rule } from '../Rule';
import { memberStorageBytes } from './mysqlOnlineDdl';
import { tableCreatedEarlier } from './tableCreatedEarlier';

export const mysqlEnumChange: Rule = {
  id: 'mysql-enum-change',
  dialects: ['mysql'],
  severity: 'warning',
  docs: {
    problem:
      'Redefining an ENUM or SET column copies the whole table under a write lock (ALGORITHM=COPY), unless the change only appends members at the end of the list and the per-row storage size stays the same (ENUM: up to 255 members in 1 byte; SET: 8 members a byte), which MySQL and MariaDB do in place, instantly. Removing a member also fails on rows that hold it (or blanks them outside strict mode).',
    solution: 'Only ever append new members at the end of the list; to remove, rename or reorder members, use a lookup table or an online schema-change tool (gh-ost, pt-online-schema-change).',
  },
  check(ctx) {
    const table = ctx.parsed.table;
    if (tableCreatedEarlier(ctx, table)) return [];
    return ctx.parsed.alterCommands.flatMap((c) => {
      const spec = c.kind === 'alter-column-type' ? c.columnSpec : undefined;
      if (!spec || (spec.type !== 'enum' && spec.type !== 'set')) return [];
      const what = `${spec.type.toUpperCase()} ${table ?? 'the table'}.${c.column ?? '?'}`;
      const old = ctx.schema.column(table, c.column);
      const before = old?.type === spec.type ? old.values : undefined;
      const after = spec.values;
      if (!before || !after) return [{ message: `Redefining the ${what} copies the table unless members are only appended at the end.` }];
      const appended = after.length >= before.length && before.every((v, i) => after[i] === v);
      if (!appended) {
        const removed = before.filter((v) => !after.includes(v));
        const change = removed.length ? `removes ${removed.map((v) => `'${v}'`).join(', ')}` : 'inserts or reorders members before the end';
        return [{ message: `Redefining the ${what} ${change}, which copies the table.` }];
      }
      const [was, will] = [memberStorageBytes(spec.type, before.length), memberStorageBytes(spec.type, after.length)];
      if (was !== will) return [{ message: `Appending to the ${what} grows each row's value from ${was} to ${will} bytes, which copies the table.` }];
      return [];
    });
  },
};
