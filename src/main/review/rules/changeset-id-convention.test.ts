import { describe, expect, it } from 'vitest';
import type { Migration } from '../../../shared/domain/review';
import { changesetIdConvention } from './changeset-id-convention';
import { locatedStatements, reviewOneMigration } from './reviewOneMigration';

const changeset = (id: string, over: Partial<Migration> = {}): Migration => ({
  id,
  description: 'add status',
  format: 'liquibase',
  file: 'db/changelog/orders.yaml',
  up: locatedStatements('ALTER TABLE orders ADD COLUMN status text;\nCREATE INDEX orders_status_idx ON orders (status);', 'postgres', 'db/changelog/orders.yaml'),
  changeTypes: [{ type: 'addColumn', autoRollback: true }],
  ...over,
});

describe('changeset-id-convention', () => {
  it('documents the problem and the solution', () => {
    expect(changesetIdConvention.docs.problem.length).toBeGreaterThan(20);
    expect(changesetIdConvention.docs.solution.length).toBeGreaterThan(10);
  });

  it.each([
    ['alice:add orders status', 'id "add orders status"'],
    ['Alice Smith:20240517-1', 'author "Alice Smith"'],
    ['alice:-1', 'id "-1"'],
    ['alice:JIRA-12:add-status', "contains ':'"],
  ])('flags %s once, on the first statement', async (id, says) => {
    const hits = await reviewOneMigration(changesetIdConvention, changeset(id));
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ severity: 'info', help: changesetIdConvention.docs.solution, location: { line: 1 } });
    expect(hits[0]?.message).toContain(says);
  });

  it.each(['alice:20240517-add-orders-status', 'bob.jones:1', 'ci_bot:JIRA-123_v2.1'])('does not flag %s', async (id) => {
    expect(await reviewOneMigration(changesetIdConvention, changeset(id))).toEqual([]);
  });

  it('leaves other formats alone', async () => {
    expect(await reviewOneMigration(changesetIdConvention, changeset('V1 add status', { format: 'flyway' }))).toEqual([]);
  });
});
