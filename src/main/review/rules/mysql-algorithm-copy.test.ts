import { mysqlAlgorithmCopy } from './mysql-algorithm-copy';
import { ordersTableSchema } from './ordersTableSchema';
import { testRule } from './testRule';

const live = (dataType: string) => ordersTableSchema([{ name: 'total', dataType, nullable: false }], 'mysql');

testRule(mysqlAlgorithmCopy, {
  flag: [
    'ALTER TABLE orders ADD COLUMN note TEXT, ALGORITHM=COPY;',
    'ALTER TABLE orders MODIFY total DECIMAL(12,2), LOCK=EXCLUSIVE;',
    { sql: 'ALTER TABLE orders ADD COLUMN n INT, ALGORITHM=COPY, LOCK=SHARED;', hits: 2 },
    { sql: 'ALTER TABLE orders DROP PRIMARY KEY;', message: 'without adding another copies the table' },
    { sql: 'ALTER TABLE orders ADD CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customers (id);', message: 'Adding foreign key fk_customer with foreign_key_checks on copies the table orders under a write lock' },
    { sql: 'ALTER TABLE orders ENGINE = MyISAM;', message: 'Changing the engine to MYISAM copies the table orders' },
    { sql: 'SET foreign_key_checks = 0;\nSET foreign_key_checks = 1;\nALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers (id);', message: 'with foreign_key_checks on' },
  ],
  pass: [
    'ALTER TABLE orders ADD COLUMN note TEXT, ALGORITHM=INSTANT;',
    'ALTER TABLE orders ADD INDEX ix (note), ALGORITHM=INPLACE, LOCK=NONE;',
    'ALTER TABLE orders ADD COLUMN note TEXT;',
    'ALTER TABLE orders DROP PRIMARY KEY, ADD PRIMARY KEY (id, placed_at);',
    // A default or NULL change restates the column without changing its type.
    { sql: 'ALTER TABLE orders MODIFY total DECIMAL(12,2) NULL, ALGORITHM=INPLACE, LOCK=NONE;', schema: live('decimal(12,2)') },
    // Unknown old type: the plain type change is changing-column-type's to report.
    'ALTER TABLE orders MODIFY total DECIMAL(14,2), ALGORITHM=INPLACE;',
    'CREATE TABLE orders (id INT PRIMARY KEY);\nALTER TABLE orders DROP PRIMARY KEY;',
    // A null rebuild, in place.
    'ALTER TABLE orders ENGINE = InnoDB;',
    // With the checks off the key is built in place (existing rows go unchecked).
    'SET FOREIGN_KEY_CHECKS = 0;\nALTER TABLE orders ADD CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customers (id);',
    // Refused rather than copied: mysql-online-ddl-refused's finding.
    { sql: 'ALTER TABLE orders MODIFY total DECIMAL(14,2), ALGORITHM=INPLACE, LOCK=NONE;', schema: live('decimal(12,2)') },
    'ALTER TABLE orders DROP PRIMARY KEY, ALGORITHM=INSTANT;',
    'ALTER TABLE orders ADD CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customers (id), ALGORITHM=INPLACE;',
  ],
});
