import { preferTimestamptz } from './prefer-timestamptz';
import { testRule } from './testRule';

testRule(preferTimestamptz, {
  flag: ['CREATE TABLE t (created_at timestamp NOT NULL);', 'ALTER TABLE t ADD COLUMN seen_at timestamp without time zone;', 'ALTER TABLE t ALTER COLUMN seen_at TYPE timestamp;'],
  pass: ['CREATE TABLE t (created_at timestamptz NOT NULL);', 'ALTER TABLE t ADD COLUMN seen_at timestamp with time zone;', 'CREATE TABLE t (d date);'],
});
