import { mysqlAddColumnRebuild } from './mysql-add-column-rebuild';
import { testRule } from './testRule';

testRule(mysqlAddColumnRebuild, {
  flag: [
    { sql: 'ALTER TABLE orders ADD COLUMN note TEXT AFTER id;', serverVersion: '8.0.28', message: 'MySQL 8.0.28 adds a column instantly only at the end of the table, so orders is rebuilt' },
    { sql: 'ALTER TABLE orders ADD COLUMN note TEXT FIRST;', serverVersion: '8.0.12' },
    { sql: 'ALTER TABLE orders ADD COLUMN note TEXT;', serverVersion: '8.0.11', message: 'cannot add a column instantly' },
    { sql: 'ALTER TABLE orders ADD COLUMN note TEXT;', serverVersion: '5.7.44' },
    // MDEV-11369: instant ADD COLUMN arrived in 10.3.2, not with 10.3.0.
    { sql: 'ALTER TABLE orders ADD COLUMN note TEXT;', serverVersion: '10.3.1-MariaDB', message: 'MariaDB 10.3.1 cannot add a column instantly' },
    { sql: 'ALTER TABLE orders ADD COLUMN note TEXT AFTER id;', serverVersion: '10.3.39-MariaDB', message: 'MariaDB 10.3.39' },
    { sql: 'ALTER TABLE orders ADD COLUMN note TEXT;', serverVersion: '10.2.44' },
    { sql: 'ALTER TABLE orders ADD COLUMN total_cents BIGINT AS (total * 100) STORED;', message: 'STORED generated' },
    { sql: 'ALTER TABLE orders ADD COLUMN seq BIGINT NOT NULL AUTO_INCREMENT, ADD UNIQUE KEY uq_seq (seq);', serverVersion: '8.0.36', message: 'AUTO_INCREMENT' },
    { sql: 'ALTER TABLE orders ADD COLUMN a INT FIRST, ADD COLUMN b INT AFTER a;', serverVersion: '8.0.20', hits: 2 },
  ],
  pass: [
    { sql: 'ALTER TABLE orders ADD COLUMN note TEXT AFTER id;', serverVersion: '8.0.29' },
    { sql: 'ALTER TABLE orders ADD COLUMN note TEXT FIRST;', serverVersion: '9.1.0' },
    { sql: 'ALTER TABLE orders ADD COLUMN note TEXT;', serverVersion: '8.0.12' },
    { sql: 'ALTER TABLE orders ADD COLUMN note TEXT;', serverVersion: '10.3.2' },
    { sql: 'ALTER TABLE orders ADD COLUMN note TEXT AFTER id;', serverVersion: '10.4.1' },
    { sql: 'ALTER TABLE orders ADD COLUMN note TEXT AFTER id;', serverVersion: '11.4.2-MariaDB' },
    // Unknown version: a current server, which adds any column instantly.
    'ALTER TABLE orders ADD COLUMN note TEXT AFTER id;',
    'ALTER TABLE orders ADD COLUMN total_cents BIGINT AS (total * 100) VIRTUAL;',
    // Refused, not rebuilt: mysql-online-ddl-refused's finding.
    { sql: 'ALTER TABLE orders ADD COLUMN note TEXT AFTER id, ALGORITHM=INSTANT;', serverVersion: '8.0.20' },
    'ALTER TABLE orders ADD COLUMN total_cents BIGINT AS (total * 100) STORED, ALGORITHM=INPLACE;',
    { sql: 'CREATE TABLE orders (id INT);\nALTER TABLE orders ADD COLUMN note TEXT FIRST;', serverVersion: '5.7' },
  ],
});
