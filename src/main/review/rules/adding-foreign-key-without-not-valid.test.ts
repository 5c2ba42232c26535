import { addingForeignKeyWithoutNotValid } from './adding-foreign-key-without-not-valid';
import { testRule } from './testRule';

testRule(addingForeignKeyWithoutNotValid, {
  flag: [
    'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);',
    'ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers;',
    'ALTER TABLE orders ADD COLUMN customer_id bigint REFERENCES customers (id);',
  ],
  pass: [
    'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;',
    'ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;',
    'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));',
    'CREATE TABLE items (id bigint, order_id bigint);\nALTER TABLE items ADD CONSTRAINT items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id);',
  ],
});
