import { preferBigintKeys } from './prefer-bigint-keys';
import { testRule } from './testRule';

testRule(preferBigintKeys, {
  flag: [
    'CREATE TABLE orders (id integer PRIMARY KEY, total numeric);',
    'CREATE TABLE orders (id serial PRIMARY KEY);',
    'CREATE TABLE orders (id integer NOT NULL, note text, CONSTRAINT orders_pkey PRIMARY KEY (id));',
    { sql: 'CREATE TABLE order_items (order_id int, line int, PRIMARY KEY (order_id, line));', hits: 2 },
    { sql: 'CREATE TABLE `orders` (`id` INT UNSIGNED NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) ENGINE=InnoDB;', dialect: 'mysql' },
    { sql: 'CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY);', dialect: 'mysql' },
  ],
  pass: [
    'CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);',
    'CREATE TABLE orders (id bigserial PRIMARY KEY, qty integer);',
    'CREATE TABLE orders (id bigint, qty integer, PRIMARY KEY (id));',
    { sql: 'CREATE TABLE orders (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY);', dialect: 'mysql' },
  ],
});
