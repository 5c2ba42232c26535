import { droppingColumn } from './dropping-column';
import { testRule } from './testRule';

testRule(droppingColumn, {
  flag: [
    'ALTER TABLE orders DROP COLUMN legacy_status;',
    { sql: 'ALTER TABLE orders DROP COLUMN a, DROP COLUMN IF EXISTS b;', hits: 2 },
    { sql: 'ALTER TABLE orders DROP COLUMN legacy_status;', dialect: 'mysql' },
    { sql: 'ALTER TABLE orders DROP COLUMN legacy_status;', dialect: 'sqlite' },
  ],
  pass: ['ALTER TABLE orders DROP CONSTRAINT orders_status_check;', 'ALTER TABLE orders ADD COLUMN status text;'],
});
