import { enumAddValueInTransaction } from './enum-add-value-in-transaction';
import { testRule } from './testRule';

testRule(enumAddValueInTransaction, {
  flag: [
    { sql: "ALTER TYPE order_status ADD VALUE 'refunded';", serverVersion: '11', format: 'goose' },
    { sql: "BEGIN;\nALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded' AFTER 'paid';\nCOMMIT;", serverVersion: '10.23', line: 2 },
    { sql: "ALTER TYPE order_status ADD VALUE 'refunded';", serverVersion: '9.6', transactional: true },
  ],
  pass: [
    { sql: "ALTER TYPE order_status ADD VALUE 'refunded';", serverVersion: '11' },
    { sql: "ALTER TYPE order_status ADD VALUE 'refunded';", serverVersion: '11', format: 'goose', transactional: false },
    { sql: "ALTER TYPE order_status ADD VALUE 'refunded';", serverVersion: '12', format: 'goose' },
    { sql: "ALTER TYPE order_status ADD VALUE 'refunded';", format: 'goose' },
    { sql: "ALTER TYPE order_status RENAME VALUE 'paid' TO 'settled';", serverVersion: '11', format: 'goose' },
  ],
});
