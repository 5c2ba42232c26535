import { testMysqlUrl } from '../testEnv';
import { openServer } from './queryHarness';
import { describeQueryService } from './querySuite';

describeQueryService('MariaDB', () => openServer(testMysqlUrl(), 'mysql'), {
  // MariaDB's recursive CTEs stop at max_recursive_iterations (1000); its Sequence engine has no such limit.
  series: (n) => `SELECT seq AS id, CONCAT('row ', seq) AS label FROM seq_1_to_${n}`,
  longRunning: 'select sleep(30)',
  createItems: ['drop table if exists qs_items', 'create table qs_items (id int primary key, note longtext)'],
});
