import type { Dialect } from '../../../shared/domain/connection';
import type { SchemaModel } from '../../../shared/domain/SchemaModel';
import { changingColumnType } from './changing-column-type';
import { ordersTableSchema } from './ordersTableSchema';
import { testRule } from './testRule';

const live = (dataType: string, dialect: Dialect = 'postgres', name = 'c'): SchemaModel => ordersTableSchema([{ name, dataType }], dialect, '16');

testRule(changingColumnType, {
  flag: [
    'ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);',
    'ALTER TABLE orders ALTER total SET DATA TYPE bigint USING total::bigint;',
    { sql: 'ALTER TABLE orders MODIFY COLUMN total DECIMAL(12,2) NOT NULL;', dialect: 'mysql' },
    { sql: 'ALTER TABLE orders CHANGE total amount BIGINT;', dialect: 'mysql' },
    { sql: 'ALTER TABLE orders ALTER COLUMN c TYPE bigint;', schema: live('integer'), message: 'from int4 to int8' },
    { sql: 'ALTER TABLE orders ALTER COLUMN c TYPE numeric(12,4);', schema: live('numeric(12,2)') },
    { sql: 'ALTER TABLE orders ALTER COLUMN c TYPE varchar(20);', schema: live('text') },
    { sql: 'ALTER TABLE orders MODIFY c VARCHAR(100);', dialect: 'mysql', schema: live('varchar(50)', 'mysql') },
    { sql: 'ALTER TABLE orders MODIFY c BIGINT;', dialect: 'mysql', schema: live('int(11)', 'mysql') },
    { sql: "ALTER TABLE orders MODIFY c ENUM('b', 'a');", dialect: 'mysql', schema: live("enum('a','b')", 'mysql'), message: "from enum('a','b') to enum('b','a')" },
  ],
  pass: [
    'ALTER TABLE orders ADD COLUMN total numeric;',
    'CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a TYPE bigint;',
    { sql: 'ALTER TABLE orders ADD COLUMN total DECIMAL(12,2);', dialect: 'mysql' },
    // Catalog-only changes, when the old type is known.
    { sql: 'ALTER TABLE orders ALTER COLUMN c TYPE varchar(300);', schema: live('character varying(200)') },
    { sql: 'ALTER TABLE orders ALTER COLUMN c TYPE text;', schema: live('character varying(200)') },
    { sql: 'ALTER TABLE orders ALTER COLUMN c TYPE numeric(14,2);', schema: live('numeric(12,2)') },
    { sql: 'ALTER TABLE orders MODIFY c VARCHAR(60) NOT NULL;', dialect: 'mysql', schema: live('varchar(40)', 'mysql') },
    { sql: 'ALTER TABLE orders MODIFY c VARCHAR(400);', dialect: 'mysql', schema: live('varchar(100)', 'mysql') },
    { sql: 'ALTER TABLE orders MODIFY c INT NOT NULL;', dialect: 'mysql', schema: live('int(11)', 'mysql') },
    { sql: "ALTER TABLE orders MODIFY c ENUM('a', 'b', 'c');", dialect: 'mysql', schema: live("enum('a','b')", 'mysql') },
  ],
});
