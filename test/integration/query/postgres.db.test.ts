import { testPgUrl } from '../testEnv';
import { openServer } from './queryHarness';
import { describeQueryService } from './querySuite';

describeQueryService('PostgreSQL', () => openServer(testPgUrl(), 'postgres'), {
  series: (n) => `select g as id, 'row ' || g as label from generate_series(1, ${n}) g`,
  longRunning: 'select pg_sleep(30)',
  createItems: ['drop table if exists qs_items', 'create table qs_items (id int primary key, note text)'],
});
