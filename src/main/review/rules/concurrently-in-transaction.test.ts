import { concurrentlyInTransaction } from './concurrently-in-transaction';
import { testRule } from './testRule';

testRule(concurrentlyInTransaction, {
  flag: [
    { sql: 'DROP INDEX CONCURRENTLY ix;', format: 'goose' },
    { sql: 'CREATE INDEX CONCURRENTLY ix ON orders (customer_id);', format: 'dbmate' },
    { sql: "SET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY ix ON orders (customer_id);", format: 'golang-migrate', line: 2 },
    { sql: 'CREATE INDEX CONCURRENTLY ix ON orders (customer_id);', format: 'flyway', transactional: true },
    { sql: 'BEGIN;\nCREATE INDEX CONCURRENTLY ix ON orders (customer_id);\nCOMMIT;', line: 2 },
    { sql: 'CREATE INDEX CONCURRENTLY ix ON orders (customer_id);', format: 'sql', transactional: true },
  ],
  pass: [
    'CREATE INDEX CONCURRENTLY ix ON orders (customer_id);',
    { sql: 'CREATE INDEX CONCURRENTLY ix ON orders (customer_id);', format: 'golang-migrate' },
    { sql: 'CREATE INDEX CONCURRENTLY ix ON orders (customer_id);', format: 'flyway' },
    { sql: 'CREATE INDEX CONCURRENTLY ix ON orders (customer_id);', format: 'goose', transactional: false },
    'BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;\nCREATE INDEX CONCURRENTLY ix ON orders (note);',
    { sql: 'CREATE INDEX ix ON orders (customer_id);', format: 'flyway' },
  ],
});
