import { preferTextOverChar } from './prefer-text-over-char';
import { testRule } from './testRule';

testRule(preferTextOverChar, {
  flag: ['CREATE TABLE t (country char(2));', 'ALTER TABLE t ADD COLUMN code character(3);'],
  pass: ['CREATE TABLE t (country text, code varchar(3));', 'CREATE TABLE t ("char" text);'],
});
