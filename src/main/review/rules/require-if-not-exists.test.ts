import { requireIfNotExists } from './require-if-not-exists';
import { testRule } from './testRule';

testRule(requireIfNotExists, {
  flag: ['CREATE TABLE orders (id bigint);', 'CREATE INDEX CONCURRENTLY ix ON orders (id);', 'ALTER TABLE orders ADD COLUMN note text;', { sql: 'CREATE TABLE orders (id INTEGER PRIMARY KEY);', dialect: 'sqlite' }],
  pass: ['CREATE TABLE IF NOT EXISTS orders (id bigint);', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS ix ON orders (id);', 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;', { sql: 'CREATE INDEX IF NOT EXISTS ix ON orders (id);', dialect: 'sqlite' }, { sql: 'CREATE TABLE orders (id bigint);', format: 'goose' }],
});
