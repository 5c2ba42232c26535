import { addingFieldWithVolatileDefault } from './adding-field-with-volatile-default';
import { testRule } from './testRule';

testRule(addingFieldWithVolatileDefault, {
  flag: [
    'ALTER TABLE orders ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();',
    'ALTER TABLE orders ADD COLUMN created_at timestamptz DEFAULT clock_timestamp();',
    'ALTER TABLE orders ADD COLUMN r double precision DEFAULT random() * 10;',
    'ALTER TABLE orders ADD COLUMN code text DEFAULT my_code_generator();',
    { sql: 'ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT \'new\';', serverVersion: '10.21' },
    { sql: 'ALTER TABLE orders ADD COLUMN a uuid DEFAULT gen_random_uuid(), ADD COLUMN b int DEFAULT 0, ADD COLUMN c uuid DEFAULT uuid_generate_v4();', hits: 2 },
  ],
  pass: [
    "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';",
    { sql: "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';", serverVersion: '16.2' },
    'ALTER TABLE orders ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();',
    'ALTER TABLE orders ADD COLUMN created_at timestamptz DEFAULT CURRENT_TIMESTAMP;',
    "ALTER TABLE orders ADD COLUMN tags text[] DEFAULT '{}'::text[];",
    'ALTER TABLE orders ADD COLUMN note text;',
    'CREATE TABLE t (id uuid DEFAULT gen_random_uuid());\nALTER TABLE t ADD COLUMN token uuid DEFAULT gen_random_uuid();',
  ],
});
