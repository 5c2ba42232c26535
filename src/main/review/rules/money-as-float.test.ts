import { moneyAsFloat } from './money-as-float';
import { testRule } from './testRule';

testRule(moneyAsFloat, {
  flag: [
    'CREATE TABLE orders (id bigint, total double precision);',
    'ALTER TABLE orders ADD COLUMN unit_price real;',
    'ALTER TABLE orders ALTER COLUMN shipping_fee TYPE float;',
    { sql: 'CREATE TABLE orders (id INT, total_amount DOUBLE, tax FLOAT);', dialect: 'mysql', hits: 2 },
    { sql: 'CREATE TABLE orders (id INTEGER PRIMARY KEY, price REAL);', dialect: 'sqlite' },
  ],
  pass: [
    'CREATE TABLE orders (id bigint, total numeric(12, 2), weight_kg double precision);',
    'CREATE TABLE sensors (reading double precision, totality text);',
    { sql: 'CREATE TABLE orders (id INT, total DECIMAL(12,2));', dialect: 'mysql' },
    { sql: 'CREATE TABLE orders (id INTEGER PRIMARY KEY, price_cents INTEGER);', dialect: 'sqlite' },
  ],
});
