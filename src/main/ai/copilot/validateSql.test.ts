import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialect } from '../../../shared/domain/connection';
import type { SchemaModel } from '../../../shared/domain/SchemaModel';
import { StatementParser } from '../../review/parse/StatementParser';
import { demoSchemaForTests } from './demoSchemaForTests';
import { validateSql } from './validateSql';

let demo: SchemaModel;
let parser: StatementParser;
beforeAll(async () => {
  [demo, parser] = await Promise.all([demoSchemaForTests(), StatementParser.create()]);
});
afterAll(() => parser.dispose());

/** The demo schema as each dialect would report it, so each parser's reader is tried on the same tables. */
function as(dialect: Dialect): SchemaModel {
  const version: Record<Dialect, string> = { sqlite: demo.serverVersion, postgres: '15.4', mysql: '10.11.6-MariaDB' };
  const schema = { postgres: 'public', mysql: 'shop', sqlite: 'main' }[dialect];
  return {
    ...demo,
    dialect,
    serverVersion: version[dialect],
    database: dialect === 'mysql' ? 'shop' : demo.database,
    schemas: demo.schemas.map((s) => ({ ...s, name: schema, tables: s.tables.map((t) => ({ ...t, schema, foreignKeys: t.foreignKeys.map((f) => ({ ...f, referencedSchema: schema })) })) })),
  };
}

const GOOD = [
  'SELECT id, email FROM customers ORDER BY created_at DESC LIMIT 10',
  'SELECT c.first_name, c.last_name, count(o.id) AS n FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.first_name, c.last_name ORDER BY n DESC LIMIT 5',
  'WITH big AS (SELECT order_id, sum(quantity) AS q FROM order_items GROUP BY order_id) SELECT o.id, big.q FROM orders o JOIN big ON big.order_id = o.id ORDER BY big.q DESC LIMIT 20',
  'SELECT count(*) FROM orders WHERE status = \'paid\'',
  'SELECT p.name FROM products p WHERE p.price > (SELECT avg(price) FROM products) LIMIT 100',
  'SELECT s.n FROM (SELECT count(*) AS n FROM reviews) s LIMIT 1',
  'SELECT order_id, item_count FROM order_summaries LIMIT 10;',
  'EXPLAIN SELECT * FROM orders',
  "SELECT date('now') AS today",
  'SELECT id, rank() OVER (PARTITION BY customer_id ORDER BY total DESC) AS r FROM orders LIMIT 10',
  'SELECT c.id FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id) LIMIT 10',
  'SELECT city FROM customers UNION SELECT city FROM suppliers LIMIT 10',
  'SELECT customer_id, sum(total) AS spent FROM orders GROUP BY customer_id HAVING sum(total) > 1000 ORDER BY spent DESC LIMIT 10',
];

describe.each(['sqlite', 'postgres', 'mysql'] as const)('validateSql for %s', (dialect) => {
  it.each(GOOD)('passes correct SQL: %s', (sql) => {
    const result = validateSql(sql, as(dialect), parser);
    expect(result.problems).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('names the tables a correct query reads', () => {
    expect(validateSql(GOOD[1]!, as(dialect), parser).tables.sort()).toEqual(['customers', 'orders']);
  });

  it('refuses a table that does not exist, suggesting the closest', () => {
    const r = validateSql('SELECT id FROM customer LIMIT 5', as(dialect), parser);
    expect(r.valid).toBe(false);
    expect(r.problems).toContain('Table customer does not exist (did you mean customers?).');
  });

  it('refuses a column the table lacks, listing its columns', () => {
    const r = validateSql('SELECT c.name FROM customers c LIMIT 5', as(dialect), parser);
    expect(r.valid).toBe(false);
    expect(r.problems[0]).toMatch(/^Column name does not exist in customers \(did you mean last_name\?\); its columns are id, first_name, last_name, email/);
  });

  it('refuses an unqualified column none of the tables has, and an unknown alias', () => {
    expect(validateSql('SELECT price FROM orders JOIN customers ON customers.id = orders.customer_id LIMIT 5', as(dialect), parser).problems).toEqual([
      'Column price does not exist in orders, customers.',
    ]);
    expect(validateSql('SELECT x.id FROM orders o LIMIT 5', as(dialect), parser).problems[0]).toMatch(/^x\.id: the query has no table or alias named x/);
  });

  it('refuses writes, several statements and a missing LIMIT', () => {
    expect(validateSql('DELETE FROM orders', as(dialect), parser).problems[0]).toMatch(/^Only a read-only query/);
    expect(validateSql('SELECT 1 LIMIT 1; SELECT 2 LIMIT 1', as(dialect), parser).problems).toEqual(['Write exactly one statement; this is 2.']);
    expect(validateSql('SELECT id FROM orders', as(dialect), parser).problems).toEqual(['Add a LIMIT (100 unless the question asks for a number of rows).']);
    expect(validateSql('SELECT id FROM orders', as(dialect), parser, { requireLimit: false }).valid).toBe(true);
  });

  it('says where SQL that does not parse goes wrong, and that empty SQL is empty', () => {
    const r = validateSql('SELEC id FROM orders', as(dialect), parser);
    expect(r.valid).toBe(false);
    expect(r.problems[0]).toMatch(/^The SQL does not parse as /);
    expect(validateSql('  ;', as(dialect), parser).problems).toEqual(['The SQL is empty.']);
  });
});

describe('validateSql, dialect details', () => {
  it('PostgreSQL: a data-modifying WITH is a write', () => {
    const r = validateSql('WITH d AS (DELETE FROM orders RETURNING id) SELECT id FROM d LIMIT 1', as('postgres'), parser);
    expect(r.problems).toContain('Only reading is allowed; the statement contains DELETE.');
  });

  it.each(['postgres', 'mysql'] as const)('%s: refuses row locks', (dialect) => {
    expect(validateSql('SELECT id FROM orders LIMIT 1 FOR UPDATE', as(dialect), parser).problems).toEqual(['Do not lock rows (FOR UPDATE / FOR SHARE): the query only reads.']);
  });

  it('PostgreSQL: names are exact after folding, so a quoted wrong case is refused', () => {
    expect(validateSql('SELECT "Email" FROM customers LIMIT 1', as('postgres'), parser).problems).toEqual(['Column Email does not exist in customers (did you mean email?).']);
    expect(validateSql('SELECT EMAIL FROM CUSTOMERS LIMIT 1', as('postgres'), parser).valid).toBe(true);
  });

  it('catalog tables and pseudo-columns exist without being in the schema', () => {
    expect(validateSql('SELECT name FROM sqlite_master LIMIT 5', as('sqlite'), parser).valid).toBe(true);
    expect(validateSql('SELECT rowid, id FROM orders LIMIT 5', as('sqlite'), parser).valid).toBe(true);
    expect(validateSql('SELECT relname FROM pg_catalog.pg_class LIMIT 5', as('postgres'), parser).valid).toBe(true);
  });

  it('a fix for a write may be checked without the read-only rule', () => {
    expect(validateSql("UPDATE orders SET status = 'paid' WHERE id = 1", as('postgres'), parser, { readOnly: false, requireLimit: false }).valid).toBe(true);
    expect(validateSql("UPDATE orders SET state = 'paid' WHERE id = 1", as('postgres'), parser, { readOnly: false, requireLimit: false }).valid).toBe(false);
  });
});

describe.each(['sqlite', 'postgres', 'mysql'] as const)('validateSql of a write (a fix for one) in %s', (dialect) => {
  const opts = { readOnly: false, requireLimit: false };
  it.each([
    ["UPDATE orders SET status = 'paid' WHERE id = 1", []],
    ["UPDATE orders SET state = 'paid' WHERE id = 1", [/^Column state does not exist in orders \(did you mean status\?\)/]],
    ['DELETE FROM orders WHERE idd = 1', [/^Column idd does not exist in orders/]],
    ["INSERT INTO orders (id, stat) VALUES (1, 'x')", [/^Column stat does not exist in orders/]],
    ['DELETE FROM order WHERE id = 1', [/^(Table order does not exist|The SQL does not parse)/]],
  ] as const)('%s', (sql, expected) => {
    const r = validateSql(sql, as(dialect), parser, opts);
    expect(r.problems).toHaveLength(expected.length);
    expected.forEach((pattern, i) => expect(r.problems[i]).toMatch(pattern));
  });
});
