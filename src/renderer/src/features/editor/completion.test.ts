import { describe, expect, it } from 'vitest';
import type { SchemaModel, TableInfo } from '../../../../shared/domain/SchemaModel';
import { completionsAt, tableRefs } from './completion';

function table(schema: string, name: string, columns: string[]): TableInfo {
  return {
    schema,
    name,
    kind: 'table',
    columns: columns.map((c, i) => ({ name: c, ordinal: i + 1, dataType: c === 'id' ? 'integer' : 'text', nullable: true })),
    uniqueConstraints: [],
    foreignKeys: [],
    checks: [],
    indexes: [],
    triggers: [],
  };
}

const model: SchemaModel = {
  dialect: 'postgres',
  serverVersion: '15',
  database: 'shop',
  introspectedAt: '2026-01-01T00:00:00Z',
  schemas: [
    {
      name: 'public',
      tables: [table('public', 'orders', ['id', 'customer_id', 'total']), table('public', 'customers', ['id', 'email', 'name'])],
      views: [],
      routines: [{ schema: 'public', name: 'order_total', kind: 'function', signature: '(id integer)' }],
      sequences: [],
      enums: [],
    },
    { name: 'audit', tables: [table('audit', 'events', ['id', 'payload'])], views: [], routines: [], sequences: [], enums: [] },
  ],
};

/** Completes at the '|' in `sql`. */
function at(sql: string) {
  const offset = sql.indexOf('|');
  return completionsAt(sql.replace('|', ''), offset, model);
}
const labels = (sql: string) => at(sql).map((i) => i.label);

describe('tableRefs', () => {
  it('reads tables and aliases from FROM and JOIN', () => {
    expect(tableRefs('SELECT * FROM orders o JOIN customers AS c ON c.id = o.customer_id')).toEqual([
      { table: 'orders', alias: 'o' },
      { table: 'customers', alias: 'c' },
    ]);
  });
  it('reads schema-qualified, quoted and comma-listed tables, and ignores keywords as aliases', () => {
    expect(tableRefs('select 1 from audit.events e, "Customers" where true')).toEqual([
      { schema: 'audit', table: 'events', alias: 'e' },
      { table: 'Customers' },
    ]);
  });
  it('ignores table-like words inside strings', () => {
    expect(tableRefs("select 'from nowhere x' from orders")).toEqual([{ table: 'orders' }]);
  });
});

describe('completionsAt', () => {
  it('offers the aliased table columns after alias-dot', () => {
    expect(labels('SELECT o.| FROM orders o JOIN customers AS c ON true')).toEqual(['id', 'customer_id', 'total']);
    expect(labels('SELECT c.| FROM orders o JOIN customers AS c ON true')).toEqual(['id', 'email', 'name']);
  });
  it('resolves the alias in the statement at the cursor, not another one', () => {
    const sql = 'SELECT c.id FROM customers c;\nSELECT c.| FROM orders c;';
    expect(labels(sql)).toEqual(['id', 'customer_id', 'total']);
  });
  it('offers a table by its own name and a schema relations after schema-dot', () => {
    expect(labels('SELECT orders.| FROM orders')).toEqual(['id', 'customer_id', 'total']);
    expect(labels('SELECT * FROM audit.|')).toEqual(['events']);
  });
  it('offers nothing after an unknown qualifier', () => {
    expect(labels('SELECT zz.| FROM orders')).toEqual([]);
  });
  it('offers columns of the statement tables first, then tables, schemas, functions and keywords', () => {
    const items = at('SELECT | FROM customers').sort((a, b) => a.sortText.localeCompare(b.sortText));
    expect(items.slice(0, 3).map((i) => i.label)).toEqual(['id', 'email', 'name']);
    const kinds = items.map((i) => i.kind);
    expect(kinds.indexOf('table')).toBeLessThan(kinds.indexOf('schema'));
    expect(kinds.indexOf('schema')).toBeLessThan(kinds.indexOf('function'));
    expect(kinds.lastIndexOf('keyword')).toBe(items.length - 1);
    expect(items.find((i) => i.label === 'events')?.insertText).toBe('audit.events');
    expect(items.find((i) => i.label === 'orders')?.insertText).toBe('orders');
  });
  it('still offers keywords without a schema model', () => {
    expect(completionsAt('SEL', 3, undefined).some((i) => i.label === 'SELECT')).toBe(true);
  });
});
