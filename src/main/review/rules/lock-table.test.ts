import { lockTable } from './lock-table';
import { testRule } from './testRule';

testRule(lockTable, {
  flag: [
    'LOCK TABLE orders;',
    'LOCK TABLE orders IN ACCESS EXCLUSIVE MODE;',
    { sql: 'BEGIN;\nLOCK orders IN SHARE MODE;\nCOMMIT;', line: 2 },
    { sql: 'LOCK TABLES orders WRITE;', dialect: 'mysql' },
    { sql: 'LOCK TABLES orders READ;\nUNLOCK TABLES;', dialect: 'mysql' },
  ],
  pass: ['LOCK TABLE orders IN ROW EXCLUSIVE MODE;', 'LOCK TABLE orders IN ACCESS SHARE MODE;', 'ALTER TABLE orders ADD COLUMN note text;', { sql: 'ALTER TABLE orders ADD COLUMN note TEXT;', dialect: 'mysql' }],
});
