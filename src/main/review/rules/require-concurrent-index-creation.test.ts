import { requireConcurrentIndexCreation } from './require-concurrent-index-creation';
import { testRule } from './testRule';

testRule(requireConcurrentIndexCreation, {
  flag: [
    'CREATE INDEX orders_customer_idx ON orders (customer_id);',
    'CREATE UNIQUE INDEX IF NOT EXISTS users_email_key ON public.users (lower(email));',
    { sql: "SET lock_timeout = '2s';\n\nCREATE INDEX ix ON orders USING gin (tags);", line: 3 },
  ],
  pass: [
    'CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);',
    'CREATE TABLE invoices (id bigint PRIMARY KEY, customer_id bigint);\nCREATE INDEX invoices_customer_idx ON invoices (customer_id);',
    'ALTER TABLE orders ADD COLUMN note text;',
  ],
});
