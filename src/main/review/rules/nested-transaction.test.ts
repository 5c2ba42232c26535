import { nestedTransaction } from './nested-transaction';
import { testRule } from './testRule';

testRule(nestedTransaction, {
  flag: [
    { sql: 'BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nBEGIN;\nUPDATE orders SET note = \'\' WHERE id = 1;\nCOMMIT;\nCOMMIT;', line: 3 },
    { sql: 'BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;', format: 'goose', line: 1 },
    { sql: 'BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;', format: 'dbmate' },
    { sql: 'BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;', format: 'sql', transactional: true },
    { sql: 'START TRANSACTION;\nINSERT INTO t VALUES (1);\nSTART TRANSACTION;\nCOMMIT;', dialect: 'mysql', line: 3 },
  ],
  pass: [
    'BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;',
    'BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;\nBEGIN;\nUPDATE orders SET note = \'\' WHERE id = 1;\nCOMMIT;',
    { sql: 'BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;', format: 'goose', transactional: false },
    { sql: 'BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;', format: 'golang-migrate' },
    { sql: 'ALTER TABLE orders ADD COLUMN note text;', format: 'goose' },
    { sql: 'BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;', dialect: 'sqlite' },
  ],
});

testRule(nestedTransaction, {
  flag: [
    // Flyway runs a migration in a transaction unless it holds CONCURRENTLY: the engine's knowledge, not the rule's.
    { sql: 'BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;', format: 'flyway', line: 1 },
    { sql: 'BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;', format: 'liquibase' },
  ],
  pass: [
    { sql: 'BEGIN;\nCREATE INDEX CONCURRENTLY ix ON orders (note);\nCOMMIT;', format: 'flyway' },
    // The file's COMMIT ended goose's transaction too, so this BEGIN opens a fresh one.
    { sql: 'COMMIT;\nBEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;', format: 'goose' },
    { sql: 'BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;\nBEGIN;\nCOMMIT;', format: 'prisma' },
  ],
});
