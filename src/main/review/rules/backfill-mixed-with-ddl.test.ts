import { backfillMixedWithDdl } from './backfill-mixed-with-ddl';
import { testRule } from './testRule';

testRule(backfillMixedWithDdl, {
  flag: [
    { sql: 'ALTER TABLE orders ADD COLUMN total_cents bigint;\nUPDATE orders SET total_cents = total * 100;', line: 2 },
    { sql: 'DELETE FROM sessions WHERE expires_at < now();\nCREATE INDEX sessions_user_idx ON sessions (user_id);', line: 1 },
    'CREATE TABLE orders_archive (id bigint, total numeric);\nINSERT INTO orders_archive SELECT id, total FROM orders;',
    { sql: 'ALTER TABLE orders ADD COLUMN total_cents BIGINT;\nUPDATE orders SET total_cents = total * 100;\nDELETE FROM orders WHERE total IS NULL;', dialect: 'mysql', hits: 2 },
    { sql: 'CREATE TABLE b (a int);\nINSERT INTO b SELECT a FROM c;', dialect: 'sqlite', line: 2 },
  ],
  pass: [
    'UPDATE orders SET total_cents = total * 100 WHERE id BETWEEN 1 AND 10000;',
    "CREATE TABLE countries (code text PRIMARY KEY, name text);\nINSERT INTO countries VALUES ('FR', 'France'), ('DE', 'Germany');",
    'ALTER TABLE orders ADD COLUMN total_cents bigint;\nSELECT count(*) FROM orders;',
    { sql: "CREATE TABLE countries (code VARCHAR(2) PRIMARY KEY);\nINSERT INTO countries (code) VALUES ('FR');", dialect: 'mysql' },
    { sql: 'DELETE FROM sessions WHERE id = 1;', dialect: 'sqlite' },
  ],
});
