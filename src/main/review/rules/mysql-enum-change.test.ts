import { mysqlEnumChange } from './mysql-enum-change';
import { testRule } from './testRule';

testRule(mysqlEnumChange, {
  flag: ["ALTER TABLE orders MODIFY status ENUM('new', 'paid', 'shipped') NOT NULL;", "ALTER TABLE orders CHANGE status state ENUM('new', 'paid');"],
  pass: ["ALTER TABLE orders ADD COLUMN status ENUM('new', 'paid');", "CREATE TABLE orders (status ENUM('new', 'paid'));", 'ALTER TABLE orders MODIFY total DECIMAL(12,2);'],
});
