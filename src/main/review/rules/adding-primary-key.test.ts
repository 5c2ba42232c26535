import { addingPrimaryKey } from './adding-primary-key';
import { testRule } from './testRule';

testRule(addingPrimaryKey, {
  flag: ['ALTER TABLE events ADD PRIMARY KEY (id);', 'ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id);', 'ALTER TABLE events ADD COLUMN id bigint PRIMARY KEY;'],
  pass: [
    'ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_id_idx;',
    'CREATE TABLE events (id bigint PRIMARY KEY);',
    'CREATE TABLE e (id bigint);\nALTER TABLE e ADD PRIMARY KEY (id);',
  ],
});
