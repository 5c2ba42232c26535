import { deleteOrUpdateWithoutWhere } from './delete-or-update-without-where';
import { testRule } from './testRule';

testRule(deleteOrUpdateWithoutWhere, {
  flag: [
    'DELETE FROM sessions;',
    "UPDATE orders SET status = 'new';",
    { sql: 'DELETE FROM sessions;', dialect: 'mysql' },
    { sql: "UPDATE orders SET status = 'new';", dialect: 'sqlite' },
  ],
  pass: [
    'DELETE FROM sessions WHERE expires_at < now();',
    "UPDATE orders SET status = 'new' WHERE status IS NULL;",
    { sql: 'DELETE FROM sessions WHERE id = 1;', dialect: 'mysql' },
    { sql: "UPDATE orders SET status = 'new' WHERE status IS NULL;", dialect: 'sqlite' },
  ],
});
