import { renamingColumn } from './renaming-column';
import { testRule } from './testRule';

testRule(renamingColumn, {
  flag: [
    'ALTER TABLE orders RENAME COLUMN total TO amount;',
    'ALTER TABLE orders RENAME total TO amount;',
    { sql: 'ALTER TABLE orders RENAME COLUMN total TO amount;', dialect: 'mysql' },
    { sql: 'ALTER TABLE orders CHANGE total amount DECIMAL(12,2);', dialect: 'mysql' },
  ],
  pass: ['ALTER TABLE orders RENAME TO purchases;', { sql: 'ALTER TABLE orders CHANGE total total DECIMAL(12,2);', dialect: 'mysql' }],
});
