import { identifierTooLong } from './identifier-too-long';
import { testRule } from './testRule';

const name64 = 'a'.repeat(64);
const name63 = 'a'.repeat(63);
// 32 two-byte letters: 64 bytes but only 32 characters.
const wide = 'ø'.repeat(32);

testRule(identifierTooLong, {
  flag: [
    `CREATE TABLE ${name64} (id bigint);`,
    `CREATE INDEX CONCURRENTLY ${name64} ON orders (id);`,
    `ALTER TABLE orders ADD COLUMN ${name64} text;`,
    `CREATE TABLE t (${wide} text);`,
    { sql: `CREATE TABLE t (id bigint);\nALTER TABLE t ADD COLUMN "${name64}" text;`, line: 2 },
    { sql: `CREATE TABLE ${'b'.repeat(65)} (id int);`, dialect: 'mysql' },
  ],
  pass: [`CREATE TABLE ${name63} (id bigint);`, `COMMENT ON TABLE t IS '${name64}';`, { sql: `CREATE TABLE ${name64} (id int);`, dialect: 'mysql' }, { sql: `CREATE TABLE t (${wide} text);`, dialect: 'mysql' }],
});
