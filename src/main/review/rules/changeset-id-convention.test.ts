import { describe, expect, it } from 'vitest';
import type { Migration } from '../../../shared/domain/review';
import { changesetIdConvention } from './changeset-id-convention';
import { parseReviewConfig } from '../config/loadReviewConfig';
import { reviewMigrations } from '../reviewMigrations';
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
    ['Alice Smith:add orders', 'author "Alice Smith" should use only letters, digits, \'.\', \'_\' and \'-\'; id "add orders"'],
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

describe('changeset-id-convention with the team\'s own patterns', () => {
  const review = async (yml: string, id: string) => {
    const { config, problems } = parseReviewConfig(yml, '.quarry.yml');
    expect(problems).toEqual([]);
    const m = changeset(id);
    return reviewMigrations({ root: '.', format: 'liquibase', migrations: [m], problems: [] }, { dialect: 'postgres', config, rules: [changesetIdConvention] });
  };
  const yml = "rules:\n  changeset-id-convention: { pattern: '^\\d{8}-[a-z0-9-]+$', author: '^[a-z]+$' }\n";

  it.each([
    ['alice:add-orders-status', 'id "add-orders-status" does not match ^\\d{8}-[a-z0-9-]+$'],
    ['alice.b:20240517-add-status', 'author "alice.b" does not match ^[a-z]+$'],
  ])('flags %s', async (id, says) => {
    const findings = await review(yml, id);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(says);
  });

  it('passes ids that follow them', async () => {
    expect(await review(yml, 'alice:20240517-add-status')).toEqual([]);
  });

  it('reports an invalid pattern at its place and does not run', async () => {
    const findings = await review("rules:\n  changeset-id-convention:\n    pattern: '[0-9'\n", 'alice:whatever id');
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'config-error', location: expect.objectContaining({ line: 3, column: 14 }) })]);
    expect(findings[0]?.message).toMatch(/rules\.changeset-id-convention\.pattern: .*not a valid regular expression/);
  });
});
