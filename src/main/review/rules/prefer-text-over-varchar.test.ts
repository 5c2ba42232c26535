import { preferTextOverVarchar } from './prefer-text-over-varchar';
import { testRule } from './testRule';

testRule(preferTextOverVarchar, {
  flag: [
    'CREATE TABLE customer (id bigint, email varchar(255));',
    { sql: 'CREATE TABLE customer (\n  id bigint,\n  email character varying(255),\n  name varchar(100)\n);', hits: 2 },
    'ALTER TABLE customer ADD COLUMN country varchar(2);',
    'ALTER TABLE customer ALTER COLUMN email TYPE varchar(320);',
  ],
  pass: [
    'CREATE TABLE customer (id bigint, email text);',
    'CREATE TABLE customer (id bigint, email varchar);',
    'CREATE TABLE customer (id bigint, email text CHECK (char_length(email) <= 320));',
    'ALTER TABLE customer ALTER COLUMN email TYPE text;',
    'CREATE TABLE customer (code char(2));',
  ],
});
