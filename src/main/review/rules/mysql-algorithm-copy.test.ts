import { mysqlAlgorithmCopy } from './mysql-algorithm-copy';
import { testRule } from './testRule';

testRule(mysqlAlgorithmCopy, {
  flag: [
    'ALTER TABLE orders ADD COLUMN note TEXT, ALGORITHM=COPY;',
    'ALTER TABLE orders MODIFY total DECIMAL(12,2), LOCK=EXCLUSIVE;',
    { sql: 'ALTER TABLE orders ADD COLUMN n INT, ALGORITHM=COPY, LOCK=SHARED;', hits: 2 },
  ],
  pass: ['ALTER TABLE orders ADD COLUMN note TEXT, ALGORITHM=INSTANT;', 'ALTER TABLE orders ADD INDEX ix (note), ALGORITHM=INPLACE, LOCK=NONE;', 'ALTER TABLE orders ADD COLUMN note TEXT;'],
});
