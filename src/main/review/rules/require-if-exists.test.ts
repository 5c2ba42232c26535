import { requireIfExists } from './require-if-exists';
import { testRule } from './testRule';

testRule(requireIfExists, {
  flag: ['DROP TABLE legacy_orders;', 'DROP INDEX CONCURRENTLY orders_legacy_idx;', 'ALTER TABLE orders DROP COLUMN legacy;', { sql: 'DROP TABLE legacy_orders;', dialect: 'sqlite' }, { sql: 'DROP INDEX orders_idx;', dialect: 'sqlite' }],
  pass: ['DROP TABLE IF EXISTS legacy_orders;', 'DROP INDEX CONCURRENTLY IF EXISTS orders_legacy_idx;', 'ALTER TABLE orders DROP COLUMN IF EXISTS legacy;', { sql: 'DROP TABLE IF EXISTS legacy_orders;', dialect: 'sqlite' }, { sql: 'DROP INDEX IF EXISTS orders_idx;', dialect: 'sqlite' }, { sql: 'BEGIN;\nDROP INDEX orders_idx;\nCOMMIT;', dialect: 'sqlite' }, { sql: 'DROP TABLE legacy_orders;', format: 'flyway' }],
});
