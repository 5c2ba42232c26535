import { preferIdentityOverSerial } from './prefer-identity-over-serial';
import { testRule } from './testRule';

testRule(preferIdentityOverSerial, {
  flag: ['CREATE TABLE t (id serial PRIMARY KEY);', 'CREATE TABLE t (id bigserial PRIMARY KEY);', 'ALTER TABLE t ADD COLUMN n smallserial;'],
  pass: ['CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);', 'CREATE TABLE t (id bigint PRIMARY KEY);'],
});
