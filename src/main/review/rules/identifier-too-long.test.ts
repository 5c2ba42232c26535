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
    { sql: 'CREATE TABLE customer_addresses (id bigint, delivery_instructions_text text);', options: { max: 20 }, message: "delivery_instructions_text is 26 bytes; the project's limit is 20" },
    { sql: 'CREATE INDEX customer_addresses_zip_idx ON customer_addresses (zip);', dialect: 'sqlite', options: { max: 20 } },
  ],
  pass: [
    // Existing objects the statement only mentions are not the project's to rename.
    { sql: 'CREATE INDEX ix_zip ON customer_addresses_archive (zip);', options: { max: 20 } },
    { sql: `CREATE TABLE ${name64} (id int);`, dialect: 'sqlite' },
    `CREATE TABLE ${name63} (id bigint);`, `COMMENT ON TABLE t IS '${name64}';`, { sql: `CREATE TABLE ${name64} (id int);`, dialect: 'mysql' }, { sql: `CREATE TABLE t (${wide} text);`, dialect: 'mysql' }],
});
