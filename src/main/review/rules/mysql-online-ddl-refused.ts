import type { Rule } from '../Rule';
import { onlineDdlRefusal } from './mysqlOnlineDdl';

export const mysqlOnlineDdlRefused: Rule = {
  id: 'mysql-online-ddl-refused',
  dialects: ['mysql'],
  severity: 'error',
  docs: {
    problem:
      'An ALTER TABLE that names ALGORITHM=INSTANT / INPLACE or LOCK=NONE / SHARED asks the server to refuse rather than do the change more expensively, and it does: adding or dropping an index is never INSTANT (MariaDB: "Try ALGORITHM=NOCOPY"), NULL → NOT NULL, a primary key and ENGINE=InnoDB rebuild the table, an AUTO_INCREMENT column needs LOCK=SHARED, MariaDB renames a table only with LOCK=EXCLUSIVE, a type change or a foreign key added with foreign_key_checks on needs ALGORITHM=COPY. The migration then fails at deploy time, possibly after its earlier statements ran.',
    solution:
      'Ask for what the server can do (the finding names it), split the ALTER so the cheap operations keep their ALGORITHM clause, or, where a copy is the only way, run the change with gh-ost or pt-online-schema-change. Set serverVersion in .quarry.yml: what is INSTANT depends on the version.',
  },
  check(ctx) {
    const refusal = onlineDdlRefusal(ctx);
    return refusal ? [{ message: refusal }] : [];
  },
};
