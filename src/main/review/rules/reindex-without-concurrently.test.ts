import { reindexWithoutConcurrently } from './reindex-without-concurrently';
import { testRule } from './testRule';

testRule(reindexWithoutConcurrently, {
  flag: ['REINDEX TABLE orders;', 'REINDEX INDEX orders_user_idx;', { sql: 'SET lock_timeout = 0;\nREINDEX (VERBOSE) TABLE orders;', line: 2 }],
  pass: ['REINDEX TABLE CONCURRENTLY orders;', 'REINDEX (VERBOSE) INDEX CONCURRENTLY orders_user_idx;', 'CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id);', { sql: 'REINDEX TABLE orders;', serverVersion: '11' }],
});
