import { missingLockTimeout } from './missing-lock-timeout';
import { testRule } from './testRule';

testRule(missingLockTimeout, {
  flag: [
    'ALTER TABLE orders ADD COLUMN note text;',
    { sql: 'ALTER TABLE orders ADD COLUMN a text;\nALTER TABLE orders ADD COLUMN b text;', hits: 1, line: 1 },
    { sql: 'CREATE TABLE t (id bigint);\nCREATE INDEX t_id ON t (id);\nALTER TABLE orders ADD COLUMN note text;', line: 3 },
    { sql: "ALTER TABLE orders ADD COLUMN a text;\nSET lock_timeout = '5s';", line: 1 },
  ],
  pass: [
    "SET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN note text;",
    "SET LOCAL lock_timeout TO '2s';\nDROP INDEX ix;",
    'CREATE INDEX CONCURRENTLY ix ON orders (note);',
    'CREATE TABLE t (id bigint);\nCREATE INDEX t_id ON t (id);',
    "INSERT INTO settings (k, v) VALUES ('a', 'b');",
  ],
});
