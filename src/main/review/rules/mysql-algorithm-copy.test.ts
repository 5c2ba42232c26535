import { mysqlAlgorithmCopy } from './mysql-algorithm-copy';
import { testRule } from './testRule';

const live = (dataType: string) => ({
  dialect: 'mysql' as const,
  serverVersion: '8.0.36',
  database: 'shop',
  introspectedAt: '2026-01-01T00:00:00Z',
  schemas: [
    {
      name: 'shop',
      views: [],
      routines: [],
      sequences: [],
      enums: [],
      tables: [{ schema: 'shop', name: 'orders', kind: 'table' as const, columns: [{ name: 'total', dataType, ordinal: 1, nullable: false }], uniqueConstraints: [], foreignKeys: [], checks: [], indexes: [], triggers: [] }],
    },
  ],
});

testRule(mysqlAlgorithmCopy, {
  flag: [
    'ALTER TABLE orders ADD COLUMN note TEXT, ALGORITHM=COPY;',
    'ALTER TABLE orders MODIFY total DECIMAL(12,2), LOCK=EXCLUSIVE;',
    { sql: 'ALTER TABLE orders ADD COLUMN n INT, ALGORITHM=COPY, LOCK=SHARED;', hits: 2 },
    { sql: 'ALTER TABLE orders DROP PRIMARY KEY;', message: 'without adding another copies the table' },
    { sql: 'ALTER TABLE orders MODIFY total DECIMAL(14,2), ALGORITHM=INPLACE, LOCK=NONE;', schema: live('decimal(12,2)'), message: 'the server refuses this ALTER (ALGORITHM=INPLACE)' },
    { sql: 'ALTER TABLE orders DROP PRIMARY KEY, ALGORITHM=INSTANT;', message: 'refuses' },
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
  ],
});
