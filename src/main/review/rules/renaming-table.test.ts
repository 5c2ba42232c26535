import { renamingTable } from './renaming-table';
import { testRule } from './testRule';

testRule(renamingTable, {
  flag: ['ALTER TABLE orders RENAME TO purchases;', { sql: 'RENAME TABLE orders TO purchases;', dialect: 'mysql' }, { sql: 'ALTER TABLE orders RENAME TO purchases;', dialect: 'mysql' }],
  pass: ['ALTER TABLE orders RENAME COLUMN total TO amount;', 'CREATE TABLE tmp (id int);\nALTER TABLE tmp RENAME TO staging;'],
});
