import { requireConcurrentIndexDeletion } from './require-concurrent-index-deletion';
import { testRule } from './testRule';

testRule(requireConcurrentIndexDeletion, {
  flag: ['DROP INDEX orders_customer_idx;', 'DROP INDEX IF EXISTS public.a_idx, public.b_idx;'],
  pass: ['DROP INDEX CONCURRENTLY orders_customer_idx;', 'DROP TABLE old_orders;'],
});
