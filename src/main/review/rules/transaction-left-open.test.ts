import { testRule } from './testRule';
import { transactionLeftOpen } from './transaction-left-open';

testRule(transactionLeftOpen, {
  flag: [
    { sql: 'BEGIN;\nALTER TABLE orders ADD COLUMN note text;', line: 1 },
    { sql: 'START TRANSACTION;\nUPDATE orders SET note = NULL WHERE id = 1;', dialect: 'mysql' },
    { sql: 'CREATE TABLE t (a int);\nBEGIN TRANSACTION;\nINSERT INTO t VALUES (1);', dialect: 'sqlite', line: 2 },
    { sql: 'BEGIN;\nCOMMIT;\nBEGIN;\nALTER TABLE orders ADD COLUMN note text;', line: 3 },
    // Rolling back to a savepoint leaves the transaction open.
    { sql: 'BEGIN;\nSAVEPOINT before_note;\nALTER TABLE orders ADD COLUMN note text;\nROLLBACK TO SAVEPOINT before_note;', line: 1 },
    { sql: 'BEGIN;\nSAVEPOINT s;\nCREATE TABLE t (a int);\nROLLBACK TRANSACTION TO s;', dialect: 'sqlite', line: 1 },
    { sql: 'BEGIN;\nSAVEPOINT s;\nCREATE TABLE t (a int);\nROLLBACK TO s;', dialect: 'sqlite', line: 1 },
  ],
  pass: [
    'BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;',
    'BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nROLLBACK;',
    'ALTER TABLE orders ADD COLUMN note text;',
    { sql: 'START TRANSACTION;\nUPDATE orders SET note = NULL WHERE id = 1;\nCOMMIT;', dialect: 'mysql' },
    { sql: 'BEGIN;\nCREATE TABLE t (a int);\nEND;', dialect: 'sqlite' },
    { sql: 'BEGIN;\nSAVEPOINT s;\nCREATE TABLE t (a int);\nROLLBACK TO s;\nCOMMIT;', dialect: 'sqlite' },
  ],
});
