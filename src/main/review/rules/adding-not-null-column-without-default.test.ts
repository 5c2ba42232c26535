import { addingNotNullColumnWithoutDefault } from './adding-not-null-column-without-default';
import { testRule } from './testRule';

testRule(addingNotNullColumnWithoutDefault, {
  flag: [
    'ALTER TABLE orders ADD COLUMN status text NOT NULL;',
    'ALTER TABLE orders ADD COLUMN code bigint PRIMARY KEY;',
    { sql: 'ALTER TABLE orders ADD COLUMN a int NOT NULL, ADD COLUMN b int NOT NULL;', hits: 2 },
    { sql: 'ALTER TABLE orders ADD COLUMN status TEXT NOT NULL;', dialect: 'sqlite' },
    { sql: 'CREATE TABLE t (a int);\nALTER TABLE u ADD COLUMN b int NOT NULL;', dialect: 'sqlite', line: 2 },
  ],
  pass: [
    "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';",
    'ALTER TABLE orders ADD COLUMN status text;',
    'ALTER TABLE orders ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY NOT NULL;',
    'ALTER TABLE orders ADD COLUMN seq bigserial NOT NULL;',
    'ALTER TABLE orders ADD COLUMN total_x2 numeric NOT NULL GENERATED ALWAYS AS (total * 2) STORED;',
    'CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int NOT NULL;',
    { sql: "ALTER TABLE orders ADD COLUMN status TEXT NOT NULL DEFAULT 'new';", dialect: 'sqlite' },
    // SQLite (3.37+) checks existing rows only, so a table made earlier in the migration is fine.
    { sql: 'CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int NOT NULL;', dialect: 'sqlite' },
  ],
});
