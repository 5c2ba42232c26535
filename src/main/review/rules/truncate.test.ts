import { testRule } from './testRule';
import { truncate } from './truncate';

testRule(truncate, {
  flag: ['TRUNCATE orders;', 'TRUNCATE TABLE orders, items RESTART IDENTITY;', { sql: 'TRUNCATE TABLE orders;', dialect: 'mysql' }],
  pass: ['DELETE FROM orders WHERE created_at < now() - interval \'1 year\';'],
});
