import { mysqlOnlineDdlRefused } from './mysql-online-ddl-refused';
import { ordersTableSchema } from './ordersTableSchema';
import { testRule } from './testRule';

const maria = '10.11.6-MariaDB';

/** orders(id int not null, qty int null, name varchar(50) not null, status enum('new','paid') not null), as introspected. */
const live = ordersTableSchema(
  [
    { name: 'id', dataType: 'int', nullable: false },
    { name: 'qty', dataType: 'int' },
    { name: 'name', dataType: 'varchar(50)', nullable: false },
    { name: 'status', dataType: "enum('new','paid')", nullable: false },
  ],
  'mysql',
  maria,
);

testRule(mysqlOnlineDdlRefused, {
  flag: [
    { sql: 'ALTER TABLE orders ADD INDEX ix_qty (qty), ALGORITHM=INSTANT;', serverVersion: maria, message: 'Adding index ix_qty needs ALGORITHM=NOCOPY on MariaDB 10.11.6, so the server refuses this ALTER (ALGORITHM=INSTANT)' },
    { sql: 'ALTER TABLE orders ADD UNIQUE KEY uq_name (name), ALGORITHM=INSTANT;', serverVersion: '8.0.36', message: 'needs ALGORITHM=INPLACE on MySQL 8.0.36' },
    { sql: 'ALTER TABLE orders DROP INDEX ix_qty, ALGORITHM=INSTANT;', serverVersion: maria },
    { sql: 'ALTER TABLE orders ADD PRIMARY KEY (id), ALGORITHM=INSTANT;', serverVersion: maria, message: 'Adding the primary key needs ALGORITHM=INPLACE' },
    { sql: 'ALTER TABLE orders DROP PRIMARY KEY, ADD PRIMARY KEY (id, name), ALGORITHM=INSTANT;', serverVersion: maria },
    { sql: 'ALTER TABLE orders DROP PRIMARY KEY, ALGORITHM=INPLACE;', message: 'Dropping the primary key without adding another needs ALGORITHM=COPY' },
    { sql: 'ALTER TABLE orders ENGINE = InnoDB, ALGORITHM = INSTANT;', serverVersion: maria, message: 'ENGINE=InnoDB' },
    { sql: 'ALTER TABLE orders ENGINE = MyISAM, ALGORITHM = INPLACE;', message: 'needs ALGORITHM=COPY' },
    { sql: 'ALTER TABLE orders ADD COLUMN seq BIGINT NOT NULL AUTO_INCREMENT, ADD UNIQUE KEY uq_seq (seq), LOCK=NONE;', serverVersion: maria, message: 'needs LOCK=SHARED or stronger on MariaDB 10.11.6, so the server refuses this ALTER (LOCK=NONE)' },
    { sql: 'ALTER TABLE orders RENAME TO purchases, ALGORITHM=INPLACE, LOCK=NONE;', serverVersion: maria, message: 'Renaming the table needs LOCK=EXCLUSIVE' },
    { sql: 'ALTER TABLE orders ADD CONSTRAINT fk_c FOREIGN KEY (qty) REFERENCES customers (id), ALGORITHM=INPLACE;', message: 'Adding foreign key fk_c with foreign_key_checks on needs ALGORITHM=COPY' },
    { sql: 'ALTER TABLE orders MODIFY qty INT NOT NULL DEFAULT 0, ALGORITHM=INSTANT;', serverVersion: maria, schema: live, message: 'Changing column qty to NOT NULL needs ALGORITHM=INPLACE' },
    { sql: 'ALTER TABLE orders MODIFY qty BIGINT, ALGORITHM=INPLACE, LOCK=NONE;', serverVersion: maria, schema: live, message: "Changing column qty's data type needs ALGORITHM=COPY" },
    { sql: 'ALTER TABLE orders ADD COLUMN note TEXT AFTER id, ALGORITHM=INSTANT;', serverVersion: '8.0.20', message: 'Adding column note needs ALGORITHM=INPLACE on MySQL 8.0.20' },
    { sql: 'ALTER TABLE orders ADD COLUMN note TEXT, ALGORITHM=INSTANT;', serverVersion: '10.3.1-MariaDB' },
    { sql: 'ALTER TABLE orders ADD COLUMN c BIGINT AS (qty * 2) STORED, ALGORITHM=INPLACE;', message: 'STORED generated' },
    { sql: 'ALTER TABLE orders DROP COLUMN qty, ALGORITHM=INSTANT;', serverVersion: '8.0.28' },
    // MySQL extends a VARCHAR in place, not in the catalog alone.
    { sql: 'ALTER TABLE orders MODIFY name VARCHAR(60) NOT NULL, ALGORITHM=INSTANT;', serverVersion: '8.0.36', schema: live },
  ],
  pass: [
    { sql: 'ALTER TABLE orders ADD INDEX ix_qty (qty), ALGORITHM=INPLACE, LOCK=NONE;', serverVersion: maria },
    { sql: 'ALTER TABLE orders ADD COLUMN note TEXT AFTER id, ALGORITHM=INSTANT;', serverVersion: maria },
    { sql: 'ALTER TABLE orders ADD COLUMN seq BIGINT NOT NULL AUTO_INCREMENT, ADD UNIQUE KEY uq_seq (seq), ALGORITHM=INPLACE;', serverVersion: maria },
    { sql: 'ALTER TABLE orders RENAME TO purchases, ALGORITHM=INSTANT;', serverVersion: maria },
    // MySQL renames a table without blocking writes.
    { sql: 'ALTER TABLE orders RENAME TO purchases, ALGORITHM=INPLACE, LOCK=NONE;', serverVersion: '8.0.36' },
    { sql: 'ALTER TABLE orders MODIFY qty INT NOT NULL DEFAULT 0, ALGORITHM=INPLACE, LOCK=NONE;', serverVersion: maria, schema: live },
    { sql: 'ALTER TABLE orders MODIFY name VARCHAR(60) NOT NULL, ALGORITHM=INSTANT;', serverVersion: maria, schema: live },
    { sql: "ALTER TABLE orders MODIFY status ENUM('new','paid','refunded') NOT NULL, ALGORITHM=INSTANT;", serverVersion: maria, schema: live },
    { sql: 'ALTER TABLE orders CHANGE name full_name VARCHAR(50) NOT NULL, ALGORITHM=INSTANT, LOCK=NONE;', serverVersion: maria, schema: live },
    // With the checks off the foreign key is built in place.
    'SET foreign_key_checks = 0;\nALTER TABLE orders ADD CONSTRAINT fk_c FOREIGN KEY (qty) REFERENCES customers (id), ALGORITHM=INPLACE, LOCK=NONE;',
    // Unknown old column: nothing is claimed.
    'ALTER TABLE orders MODIFY qty BIGINT, ALGORITHM=INPLACE;',
    // No ALGORITHM / LOCK asked: the cost is other rules' finding.
    'ALTER TABLE orders DROP PRIMARY KEY;',
    'ALTER TABLE orders ADD COLUMN c BIGINT AS (qty * 2) STORED;',
    { sql: 'ALTER TABLE orders ADD COLUMN c BIGINT AS (qty * 2) STORED, ALGORITHM=COPY, LOCK=SHARED;' },
    { sql: 'ALTER TABLE orders DROP COLUMN qty, ALGORITHM=INSTANT;', serverVersion: '8.0.29' },
  ],
});
