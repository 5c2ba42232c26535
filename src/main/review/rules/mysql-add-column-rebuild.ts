import type { Rule } from '../Rule';
import { addColumnIsInstant, onlineDdlRefusal, serverName } from './mysqlOnlineDdl';
import { tableCreatedEarlier } from './tableCreatedEarlier';

export const mysqlAddColumnRebuild: Rule = {
  id: 'mysql-add-column-rebuild',
  dialects: ['mysql'],
  severity: 'warning',
  docs: {
    problem:
      'ADD COLUMN is instant (a metadata change) only on MySQL 8.0.29+ and MariaDB 10.4+, or at the end of the table on MySQL 8.0.12–8.0.28 and MariaDB 10.3.2–10.3.x. Otherwise, and always for a STORED generated or AUTO_INCREMENT column, the server rebuilds the whole table: hours on a large one, with replicas lagging behind, and AUTO_INCREMENT or STORED columns block writes meanwhile. With ALGORITHM=INSTANT the statement is refused instead (mysql-online-ddl-refused says so).',
    solution:
      'Add the column at the end (drop FIRST / AFTER), make a generated column VIRTUAL, or run the change with an online schema-change tool (gh-ost, pt-online-schema-change). Set serverVersion in .quarry.yml so the review knows what the server can do instantly.',
  },
  check(ctx) {
    if (ctx.parsed.kind !== 'alter-table' || tableCreatedEarlier(ctx, ctx.parsed.table)) return [];
    // A refused ALTER rebuilds nothing; mysql-online-ddl-refused reports it.
    if (onlineDdlRefusal(ctx)) return [];
    const table = ctx.parsed.table ?? 'the table';
    return ctx.parsed.alterCommands.flatMap((c) => {
      const spec = c.kind === 'add-column' ? c.columnSpec : undefined;
      if (!spec) return [];
      let why: string | undefined;
      if (spec.generatedStored) why = 'a STORED generated column is computed for every row, which copies the table';
      else if (spec.autoIncrement) why = 'an AUTO_INCREMENT column is numbered row by row, rebuilding the table without concurrent writes';
      else if (!addColumnIsInstant(ctx.version, c.position === undefined)) {
        why = c.position ? `${serverName(ctx.version)} adds a column instantly only at the end of the table` : `${serverName(ctx.version)} cannot add a column instantly`;
      }
      if (!why) return [];
      return [{ message: `Adding ${spec.name} to ${table}: ${why}, so ${table} is rebuilt.` }];
    });
  },
};
