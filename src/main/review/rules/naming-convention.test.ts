import { describe, expect, it } from 'vitest';
import { parseReviewConfig } from '../config/loadReviewConfig';
import { reviewSql } from './reviewSql';
import { namingConvention } from './naming-convention';
import { testRule } from './testRule';

const team = { table: '^[a-z][a-z0-9_]*$', column: '^[a-z][a-z0-9_]*$', index: '^(ix|idx|ux)_', 'foreign-key': '^fk_', constraint: '^(pk|uq|ck)_' };

testRule(namingConvention, {
  flag: [
    { sql: 'CREATE TABLE "Orders" (id bigint);', options: team, message: 'Table Orders does not match the naming convention ^[a-z][a-z0-9_]*$' },
    { sql: 'CREATE TABLE orders (\n  id bigint,\n  "placedAt" timestamptz\n);', options: team, line: 3 },
    { sql: 'CREATE INDEX orders_placed_at ON orders (placed_at);', options: team, message: 'naming-convention.index' },
    { sql: 'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);', options: team },
    { sql: 'ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE (code);', options: team, message: 'naming-convention.constraint' },
    { sql: 'CREATE TABLE orders (id bigint CONSTRAINT orders_pkey PRIMARY KEY, code text CONSTRAINT code_uq UNIQUE);', options: team, hits: 2 },
    { sql: 'ALTER TABLE orders RENAME COLUMN placed_at TO "placedAt";', options: team },
    { sql: 'ALTER TABLE orders RENAME TO "Orders";', options: team },
    { sql: 'CREATE TABLE orders (id INT, KEY orders_status (status), CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id));', dialect: 'mysql', options: team, hits: 2 },
    { sql: 'ALTER TABLE orders ADD INDEX status_idx (status), CHANGE note Note TEXT;', dialect: 'mysql', options: team, hits: 2 },
    { sql: 'CREATE INDEX orders_status ON orders (status);', dialect: 'sqlite', options: { index: '^ix_' } },
  ],
  pass: [
    { sql: 'CREATE TABLE orders (id bigint CONSTRAINT pk_orders PRIMARY KEY, customer_id bigint CONSTRAINT fk_orders_customer REFERENCES customers (id));', options: team },
    { sql: 'CREATE UNIQUE INDEX ux_orders_code ON orders (code);', options: team },
    // PostgreSQL folds unquoted names to lower case.
    { sql: 'CREATE TABLE Orders (PlacedAt timestamptz);', options: team },
    // Only the kinds given a pattern are checked.
    { sql: 'CREATE INDEX whatever ON orders (a);', options: { table: '^t_' } },
    { sql: 'CREATE TABLE orders (id INT, KEY ix_orders_status (status));', dialect: 'mysql', options: team },
    { sql: 'DROP INDEX orders_status;', options: team },
  ],
});

describe('naming-convention is opt-in and its options are checked', () => {
  const sql = 'CREATE INDEX orders_status ON orders (status);';
  const review = (yml: string) => {
    const { config, problems } = parseReviewConfig(yml, '.quarry.yml');
    expect(problems).toEqual([]);
    return reviewSql(sql, { dialect: 'postgres', config, rules: [namingConvention] });
  };

  it('stays off until .quarry.yml names it', async () => {
    expect(await review('dialect: postgres\n')).toEqual([]);
  });

  it('runs with the level and patterns the file gives', async () => {
    const findings = await review("rules:\n  naming-convention: { level: error, index: '^ix_' }\n");
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'naming-convention', severity: 'error' })]);
  });

  it.each([
    ["rules:\n  naming-convention:\n    index: '^(ix'\n", 3, 12, /index.*not a valid regular expression/],
    ["rules:\n  naming-convention:\n    table: '^([a-z]+)+$'\n", 3, 12, /nests quantifiers/],
    ["rules:\n  naming-convention:\n    tables: '^t_'\n", 3, 13, /tables/],
    ['rules:\n  naming-convention:\n    index: 42\n', 3, 12, /index/],
    ['rules:\n  naming-convention: warning\n', 2, 3, /at least one pattern/],
  ])('reports a bad option as a config finding at its place: %j', async (yml, line, column, message) => {
    const findings = await review(yml);
    // The rule does not run on half a convention: every finding is about the file.
    expect(findings.map((f) => f.ruleId)).toEqual(findings.map(() => 'config-error'));
    expect(findings.find((f) => message.test(f.message))).toMatchObject({ severity: 'error', location: { file: '.quarry.yml', line, column } });
  });
});
