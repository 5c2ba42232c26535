import { preferBigintKeys } from './prefer-bigint-keys';
import { testRule } from './testRule';

testRule(preferBigintKeys, {
  flag: [
    'CREATE TABLE orders (id integer PRIMARY KEY, total numeric);',
    'CREATE TABLE orders (id serial PRIMARY KEY);',
    { sql: 'CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY);', dialect: 'mysql' },
  ],
  pass: [
    'CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);',
    'CREATE TABLE orders (id bigserial PRIMARY KEY, qty integer);',
    { sql: 'CREATE TABLE orders (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY);', dialect: 'mysql' },
  ],
});
