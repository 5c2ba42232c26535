import { mysqlEnumChange } from './mysql-enum-change';
import { ordersTableSchema } from './ordersTableSchema';
import { testRule } from './testRule';

const live = (dataType: string, name = 'status') => ordersTableSchema([{ name, dataType, nullable: false }], 'mysql');
const many = (n: number) => Array.from({ length: n }, (_, i) => `'v${i}'`).join(',');

testRule(mysqlEnumChange, {
  flag: [
    // The old definition unknown: the rule says what would make it safe.
    { sql: "ALTER TABLE orders MODIFY status ENUM('new', 'paid', 'shipped') NOT NULL;", message: 'unless members are only appended' },
    "ALTER TABLE orders CHANGE status state ENUM('new', 'paid');",
    { sql: "ALTER TABLE orders MODIFY status ENUM('new', 'shipped', 'paid') NOT NULL;", schema: live("enum('new','paid')"), message: 'inserts or reorders' },
    { sql: "ALTER TABLE orders MODIFY status ENUM('new') NOT NULL;", schema: live("enum('new','paid')"), message: "removes 'paid'" },
    { sql: `ALTER TABLE orders MODIFY status ENUM(${many(256)}) NOT NULL;`, schema: live(`enum(${many(255)})`), message: 'from 1 to 2 bytes' },
    { sql: "ALTER TABLE orders MODIFY flags SET('a','b','c','d','e','f','g','h','i');", schema: live("set('a','b','c','d','e','f','g','h')", 'flags'), message: 'from 1 to 2 bytes' },
    { sql: "ALTER TABLE orders MODIFY flags SET('b','a');", schema: live("set('a','b')", 'flags') },
  ],
  pass: [
    { sql: "ALTER TABLE orders MODIFY status ENUM('new', 'paid', 'shipped') NOT NULL;", schema: live("enum('new','paid')") },
    { sql: "ALTER TABLE orders MODIFY status ENUM('new', 'paid') NULL;", schema: live("enum('new','paid')") },
    { sql: "ALTER TABLE orders MODIFY flags SET('a','b','c');", schema: live("set('a','b')", 'flags') },
    "ALTER TABLE orders ADD COLUMN status ENUM('new', 'paid');",
    "CREATE TABLE orders (status ENUM('new', 'paid'));",
    "CREATE TABLE orders (status ENUM('new', 'paid'));\nALTER TABLE orders MODIFY status ENUM('paid', 'new');",
    'ALTER TABLE orders MODIFY total DECIMAL(12,2);',
  ],
});
