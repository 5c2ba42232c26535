import { addingCheckWithoutNotValid } from './adding-check-without-not-valid';
import { testRule } from './testRule';

testRule(addingCheckWithoutNotValid, {
  flag: ['ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total >= 0);', 'ALTER TABLE orders ADD CHECK (status IN (\'new\', \'paid\'));'],
  pass: [
    'ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total >= 0) NOT VALID;',
    'ALTER TABLE orders VALIDATE CONSTRAINT total_positive;',
    'CREATE TABLE t (total int CHECK (total >= 0));',
  ],
});
