import { describe, expect, it } from 'vitest';
import type { Migration } from '../../../shared/domain/review';
import { changesetMultipleChanges } from './changeset-multiple-changes';
import { reviewOneMigration, locatedStatements } from './reviewOneMigration';

const sql = 'CREATE TABLE customer (id bigint PRIMARY KEY);\nCREATE INDEX customer_id_idx ON customer (id);';
const changeset = (changeTypes: Migration['changeTypes'], over: Partial<Migration> = {}): Migration => ({
  id: 'alice:create-customer',
  description: 'create customer',
  format: 'liquibase',
  file: 'db/changelog.xml',
  up: locatedStatements(sql, 'postgres', 'db/changelog.xml').map((s) => ({ ...s, location: { ...s.location, changeset: 'alice:create-customer' } })),
  changeTypes,
  ...over,
});

describe('changeset-multiple-changes', () => {
  it('documents the problem and the solution', () => {
    expect(changesetMultipleChanges.docs.problem.length).toBeGreaterThan(20);
    expect(changesetMultipleChanges.docs.solution.length).toBeGreaterThan(10);
  });

  it('flags a changeset with two changes once, naming them', async () => {
    const hits = await reviewOneMigration(changesetMultipleChanges, changeset([{ type: 'createTable', autoRollback: true }, { type: 'createIndex', autoRollback: true }]));
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ severity: 'warning', help: changesetMultipleChanges.docs.solution, location: { file: 'db/changelog.xml', line: 1, changeset: 'alice:create-customer' } });
    expect(hits[0]?.message).toBe('Changeset alice:create-customer has 2 changes (createTable, createIndex).');
  });

  it('does not flag one change, or migrations of other formats', async () => {
    expect(await reviewOneMigration(changesetMultipleChanges, changeset([{ type: 'createTable', autoRollback: true }]))).toEqual([]);
    expect(await reviewOneMigration(changesetMultipleChanges, changeset(undefined))).toEqual([]);
    expect(await reviewOneMigration(changesetMultipleChanges, changeset([{ type: 'a', autoRollback: true }, { type: 'b', autoRollback: true }], { format: 'flyway' }))).toEqual([]);
  });
});
