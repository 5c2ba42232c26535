import { droppingDatabaseOrSchema } from './dropping-database-or-schema';
import { testRule } from './testRule';

testRule(droppingDatabaseOrSchema, {
  flag: ['DROP SCHEMA reporting CASCADE;', 'DROP DATABASE IF EXISTS quarry_dev;', { sql: 'DROP DATABASE shop;', dialect: 'mysql' }, { sql: 'DROP SCHEMA IF EXISTS shop;', dialect: 'mysql' }],
  pass: ['CREATE SCHEMA reporting;', 'DROP TABLE reporting.totals;'],
});
