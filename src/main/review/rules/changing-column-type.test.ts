import { changingColumnType } from './changing-column-type';
import { testRule } from './testRule';

testRule(changingColumnType, {
  flag: [
    'ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);',
    'ALTER TABLE orders ALTER total SET DATA TYPE bigint USING total::bigint;',
    { sql: 'ALTER TABLE orders MODIFY COLUMN total DECIMAL(12,2) NOT NULL;', dialect: 'mysql' },
    { sql: 'ALTER TABLE orders CHANGE total amount BIGINT;', dialect: 'mysql' },
  ],
  pass: [
    'ALTER TABLE orders ADD COLUMN total numeric;',
    'CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a TYPE bigint;',
    { sql: 'ALTER TABLE orders ADD COLUMN total DECIMAL(12,2);', dialect: 'mysql' },
  ],
});
