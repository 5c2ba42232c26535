import { settingNotNull } from './setting-not-null';
import { testRule } from './testRule';

testRule(settingNotNull, {
  flag: ['ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;', { sql: 'ALTER TABLE orders ALTER a SET NOT NULL, ALTER b SET NOT NULL;', hits: 2 }],
  pass: [
    'ALTER TABLE orders ALTER COLUMN customer_id DROP NOT NULL;',
    'ALTER TABLE orders ADD CONSTRAINT customer_not_null CHECK (customer_id IS NOT NULL) NOT VALID;',
    'CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a SET NOT NULL;',
  ],
});
