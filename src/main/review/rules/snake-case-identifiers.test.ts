import { snakeCaseIdentifiers } from './snake-case-identifiers';
import { testRule } from './testRule';

testRule(snakeCaseIdentifiers, {
  flag: [
    { sql: 'CREATE TABLE "orderItems" (id bigint);', line: 1 },
    { sql: 'CREATE TABLE order_items (\n  id bigint,\n  "createdAt" timestamptz\n);', line: 3 },
    'ALTER TABLE orders ADD COLUMN "Note" text;',
    'CREATE INDEX "Orders_Idx" ON orders (id);',
    { sql: 'CREATE TABLE Users (firstName VARCHAR(50), last_name VARCHAR(50));', dialect: 'mysql', hits: 2 },
    { sql: 'CREATE TABLE "my-table" (a INTEGER);', dialect: 'sqlite' },
    { sql: 'CREATE INDEX "UsersEmail" ON users (email);', dialect: 'sqlite' },
  ],
  pass: [
    'CREATE TABLE order_items (id bigint, created_at timestamptz);',
    // PostgreSQL folds unquoted names to lower case, so this is order_items.
    'CREATE TABLE OrderItems (CreatedAt timestamptz);',
    'CREATE INDEX order_items_created_at_idx ON order_items (created_at);',
    { sql: 'CREATE TABLE users (first_name VARCHAR(50));', dialect: 'mysql' },
    { sql: 'CREATE TABLE users (id INTEGER PRIMARY KEY, _internal TEXT);', dialect: 'sqlite' },
    { sql: 'CREATE UNIQUE INDEX users_email_key ON users (email);', dialect: 'sqlite' },
    { sql: 'CREATE INDEX IF NOT EXISTS main.users_email_idx ON users (email);', dialect: 'sqlite' },
  ],
});
