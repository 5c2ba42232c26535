import { disallowedUniqueConstraint } from './disallowed-unique-constraint';
import { testRule } from './testRule';

testRule(disallowedUniqueConstraint, {
  flag: ['ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);', 'ALTER TABLE users ADD COLUMN handle text UNIQUE;'],
  pass: [
    'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;',
    'CREATE UNIQUE INDEX CONCURRENTLY users_email_idx ON users (email);',
    'CREATE TABLE t (email text);\nALTER TABLE t ADD CONSTRAINT t_email_key UNIQUE (email);',
  ],
});
