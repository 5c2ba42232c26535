import { testRule } from './testRule';
import { vacuumFullOrCluster } from './vacuum-full-or-cluster';

testRule(vacuumFullOrCluster, {
  flag: ['VACUUM FULL orders;', 'VACUUM (FULL, ANALYZE) orders;', 'CLUSTER orders USING orders_pkey;'],
  pass: ['VACUUM orders;', 'VACUUM (ANALYZE) orders;', 'ANALYZE orders;'],
});
