import { droppingTable } from './dropping-table';
import { testRule } from './testRule';

testRule(droppingTable, {
  flag: [
    'DROP TABLE legacy_orders;',
    'DROP TABLE IF EXISTS a, b CASCADE;',
    { sql: 'DROP TABLE IF EXISTS `legacy_orders`;', dialect: 'mysql' },
    { sql: 'DROP TABLE legacy_orders;', dialect: 'sqlite' },
  ],
  pass: ['DROP INDEX CONCURRENTLY ix;', 'DROP VIEW order_totals;', { sql: 'CREATE TABLE t (id INTEGER PRIMARY KEY);', dialect: 'sqlite' }],
});
