import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { introspectMysql } from '../../../src/main/db/introspect/introspectMysql';
import { introspectPostgres } from '../../../src/main/db/introspect/introspectPostgres';
import { introspectSqlite } from '../../../src/main/db/introspect/introspectSqlite';
import type { Queryable } from '../../../src/main/db/introspect/Queryable';
import type { Dialect } from '../../../src/shared/domain/connection';
import type { RoutineInfo, SchemaInfo, SchemaModel, TableInfo, TriggerInfo } from '../../../src/shared/domain/SchemaModel';
import { testMysqlUrl, testPgUrl } from '../testEnv';
import { mysqlFixture, postgresFixture, sqliteFixture, type FixtureDatabase } from './fixtureDatabases';

/**
 * The same shop (test/fixtures/schema/<dialect>.sql) introspected in each dialect. Shared facts are asserted
 * once for all; what differs by dialect is data in `cases`, not branches in the tests.
 */
interface DialectCase {
  dialect: Dialect;
  open(): Promise<FixtureDatabase>;
  introspect(q: Queryable, database: string, serverVersion: string): Promise<SchemaModel>;
  /** Statement that refreshes row estimates after the rows are inserted. */
  analyze: string;
  /** Expected schema name; undefined means the database name (MySQL). */
  schemaName?: string;
  emailType: string;
  customerIdIdentity: 'always' | 'by-default' | 'auto-increment';
  statusDefault: string;
  /** An FK without ON UPDATE: MariaDB reports RESTRICT, its effective default. */
  defaultOnUpdate: 'no action' | 'restrict';
  priceWithVat: string;
  priceCheck: string;
  /** Primary key constraint name where the dialect has one. */
  customersPkName?: string;
  /** customers(lower(email)) where the dialect has expression indexes. */
  lowerEmailIndex?: string;
  /** orders_open_idx's WHERE where the dialect has partial indexes. */
  openOrdersPredicate?: string;
  /** Whether a rowid-alias or auto-increment PK still gets its own index entry. */
  customersPkIndexed: boolean;
  comments: boolean;
  trigger: Pick<TriggerInfo, 'name' | 'timing' | 'events'>;
  routines: Omit<RoutineInfo, 'schema'>[];
  sequences: { name: string; ownedBy?: string; dataType?: string }[];
  enums: { name: string; values: string[] }[];
  productStatusType: string;
  materializedViews: string[];
}

const cases: DialectCase[] = [
  {
    dialect: 'postgres',
    open: () => postgresFixture(testPgUrl()),
    introspect: introspectPostgres,
    analyze: 'analyze',
    schemaName: 'public',
    emailType: 'character varying(200)',
    customerIdIdentity: 'always',
    statusDefault: "'open'::character varying",
    defaultOnUpdate: 'no action',
    priceWithVat: '(price * 1.25)',
    priceCheck: 'price >= 0::numeric',
    customersPkName: 'customers_pkey',
    lowerEmailIndex: 'lower(email::text)',
    openOrdersPredicate: "status::text = 'open'::text",
    customersPkIndexed: true,
    comments: true,
    trigger: { name: 'orders_touch', timing: 'before', events: ['insert', 'update'] },
    routines: [
      { name: 'archive_orders', kind: 'procedure', signature: '(IN p_before timestamp without time zone, OUT p_count integer)', language: 'plpgsql' },
      { name: 'order_total', kind: 'function', signature: '(p_order_id bigint)', returns: 'numeric', language: 'sql' },
      { name: 'orders_touch', kind: 'function', signature: '()', returns: 'trigger', language: 'plpgsql' },
    ],
    sequences: [
      { name: 'customers_id_seq', ownedBy: 'public.customers.id', dataType: 'bigint' },
      { name: 'invoice_no_seq', ownedBy: 'public.orders.invoice_no', dataType: 'integer' },
      { name: 'orders_id_seq', ownedBy: 'public.orders.id', dataType: 'bigint' },
      { name: 'products_id_seq', ownedBy: 'public.products.id', dataType: 'bigint' },
    ],
    enums: [{ name: 'product_status', values: ['draft', 'active', 'retired'] }],
    productStatusType: 'product_status',
    materializedViews: ['product_quantities'],
  },
  {
    dialect: 'mysql',
    open: () => mysqlFixture(testMysqlUrl()),
    introspect: introspectMysql,
    analyze: 'analyze table customers, orders, products, order_items, shipments',
    emailType: 'varchar(200)',
    customerIdIdentity: 'auto-increment',
    statusDefault: "'open'",
    defaultOnUpdate: 'restrict',
    priceWithVat: '`price` * 1.25',
    priceCheck: '`price` >= 0',
    customersPkName: 'PRIMARY',
    customersPkIndexed: true,
    comments: true,
    trigger: { name: 'orders_touch', timing: 'before', events: ['update'] },
    // MariaDB writes display widths (bigint(20)); MySQL 8 drops them.
    routines: [
      { name: 'archive_orders', kind: 'procedure', signature: '(IN p_before datetime, OUT p_count int(11))', language: 'sql' },
      { name: 'order_total', kind: 'function', signature: '(p_order_id bigint(20))', returns: 'decimal(12,2)', language: 'sql' },
    ],
    sequences: [{ name: 'invoice_no_seq' }],
    enums: [],
    productStatusType: "enum('draft','active','retired')",
    materializedViews: [],
  },
  {
    dialect: 'sqlite',
    open: () => sqliteFixture(),
    introspect: introspectSqlite,
    analyze: 'select 1',
    schemaName: 'main',
    emailType: 'varchar(200)',
    customerIdIdentity: 'auto-increment',
    statusDefault: "'open'",
    defaultOnUpdate: 'no action',
    priceWithVat: 'price * 1.25',
    priceCheck: 'price >= 0',
    lowerEmailIndex: 'lower(email)',
    openOrdersPredicate: "status = 'open'",
    customersPkIndexed: false,
    comments: false,
    trigger: { name: 'orders_touch', timing: 'after', events: ['update'] },
    routines: [],
    sequences: [],
    enums: [],
    productStatusType: 'TEXT',
    materializedViews: [],
  },
];

const columnShapes: Record<string, [name: string, nullable: boolean][]> = {
  customers: [['id', false], ['email', false], ['name', false], ['country', true], ['created_at', true]],
  products: [['id', false], ['sku', false], ['name', false], ['price', false], ['status', false], ['price_with_vat', true]],
  orders: [['id', false], ['customer_id', false], ['status', false], ['ordered_at', false], ['invoice_no', true], ['total', true]],
  order_items: [['order_id', false], ['line_no', false], ['product_id', false], ['quantity', false]],
  shipments: [['id', false], ['order_id', false], ['line_no', false], ['carrier', true]],
};

const seedRows = `
insert into customers (email, name) values ('ada@example.com', 'Ada'), ('bo@example.com', 'Bo'), ('cy@example.com', 'Cy');
insert into products (sku, name, price) values ('A-1', 'Anvil', 10.00), ('B-2', 'Bolt', 0.50);
`;

describe.each(cases)('introspection of $dialect', (c) => {
  let db: FixtureDatabase;
  let model: SchemaModel;
  let schema: SchemaInfo;
  const table = (name: string): TableInfo => {
    const found = schema.tables.find((t) => t.name === name);
    if (!found) throw new Error(`table ${name} missing; have ${schema.tables.map((t) => t.name).join(', ')}`);
    return found;
  };

  beforeAll(async () => {
    db = await c.open();
    for (const statement of seedRows.split(';').map((s) => s.trim()).filter(Boolean)) await db.exec(statement);
    await db.exec(c.analyze);
    model = await c.introspect(db.q, db.database, db.serverVersion);
    const expectedSchema = c.schemaName ?? db.database;
    const found = model.schemas.find((s) => s.name === expectedSchema);
    if (!found) throw new Error(`schema ${expectedSchema} missing; have ${model.schemas.map((s) => s.name).join(', ')}`);
    schema = found;
  });

  afterAll(async () => {
    await db?.dispose();
  });

  it('describes the model', () => {
    expect(model.dialect).toBe(c.dialect);
    expect(model.database).toBe(db.database);
    expect(model.serverVersion).toBe(db.serverVersion);
    expect(Number.isNaN(Date.parse(model.introspectedAt))).toBe(false);
  });

  it('lists the tables, in name order, each of kind table', () => {
    expect(schema.tables.map((t) => t.name)).toEqual(['customers', 'order_items', 'orders', 'products', 'shipments']);
    for (const t of schema.tables) {
      expect(t.schema).toBe(schema.name);
      expect(t.kind).toBe('table');
    }
  });

  it.each(Object.keys(columnShapes))('reads the columns of %s with their order and nullability', (name) => {
    const columns = table(name).columns;
    expect(columns.map((col) => [col.name, col.nullable])).toEqual(columnShapes[name]);
    expect(columns.map((col) => col.ordinal)).toEqual(columns.map((_, i) => i + 1));
  });

  it('reads types, defaults, identity and generated columns', () => {
    const customers = table('customers');
    const products = table('products');
    const orders = table('orders');
    const col = (t: TableInfo, name: string) => t.columns.find((x) => x.name === name)!;
    expect(col(customers, 'email').dataType).toBe(c.emailType);
    expect(col(customers, 'id').identity).toBe(c.customerIdIdentity);
    expect(col(customers, 'email').identity).toBeUndefined();
    expect(col(customers, 'country').default).toMatch(/^'SE'/);
    expect(col(customers, 'email').default).toBeUndefined();
    expect(col(orders, 'status').default).toBe(c.statusDefault);
    expect(col(products, 'status').dataType).toBe(c.productStatusType);
    expect(col(products, 'price_with_vat').generated).toEqual({ expression: c.priceWithVat, stored: true });
    expect(col(products, 'price_with_vat').default).toBeUndefined();
    expect(col(products, 'price').generated).toBeUndefined();
  });

  it('reads primary keys, single and composite', () => {
    expect(table('customers').primaryKey?.columns).toEqual(['id']);
    expect(table('customers').primaryKey?.name).toBe(c.customersPkName);
    expect(table('order_items').primaryKey?.columns).toEqual(['order_id', 'line_no']);
    expect(table('shipments').primaryKey?.columns).toEqual(['id']);
  });

  it('reads unique constraints with their names', () => {
    expect(table('customers').uniqueConstraints).toEqual([{ name: 'customers_email_key', columns: ['email'] }]);
    expect(table('products').uniqueConstraints).toEqual([{ name: 'products_sku_key', columns: ['sku'] }]);
    expect(table('orders').uniqueConstraints).toEqual([]);
  });

  it('reads foreign keys with their actions, composite ones included', () => {
    const items = table('order_items').foreignKeys;
    expect(items.map((fk) => fk.name)).toEqual(['order_items_order_fk', 'order_items_product_fk']);
    expect(items[0]).toMatchObject({ columns: ['order_id'], referencedSchema: schema.name, referencedTable: 'orders', referencedColumns: ['id'], onDelete: 'cascade', onUpdate: c.defaultOnUpdate });
    expect(items[1]).toMatchObject({ columns: ['product_id'], referencedTable: 'products', referencedColumns: ['id'], onDelete: 'restrict' });
    expect(table('shipments').foreignKeys).toEqual([
      {
        name: 'shipments_item_fk',
        columns: ['order_id', 'line_no'],
        referencedSchema: schema.name,
        referencedTable: 'order_items',
        referencedColumns: ['order_id', 'line_no'],
        onUpdate: 'cascade',
        onDelete: 'cascade',
      },
    ]);
    expect(table('orders').foreignKeys).toMatchObject([{ columns: ['customer_id'], referencedTable: 'customers', referencedColumns: ['id'], onDelete: 'cascade' }]);
    expect(table('customers').foreignKeys).toEqual([]);
  });

  it('reads check constraints', () => {
    expect(table('order_items').checks.find((k) => k.name === 'order_items_quantity_check')?.expression).toMatch(/quantity`? > 0/);
    expect(table('products').checks.find((k) => k.name === 'products_price_check')?.expression).toBe(c.priceCheck);
    expect(table('shipments').checks).toEqual([]);
  });

  it('reads indexes: composite with a descending part, primary, unique', () => {
    const orders = table('orders');
    const composite = orders.indexes.find((i) => i.name === 'orders_customer_ordered_idx');
    expect(composite).toMatchObject({ unique: false, primary: false, method: 'btree' });
    expect(composite?.columns).toEqual([{ column: 'customer_id' }, { column: 'ordered_at', descending: true }]);
    expect(composite?.predicate).toBeUndefined();

    const itemsPk = table('order_items').indexes.filter((i) => i.primary);
    expect(itemsPk.map((i) => [i.unique, i.columns])).toEqual([[true, [{ column: 'order_id' }, { column: 'line_no' }]]]);
    expect(table('customers').indexes.some((i) => i.primary)).toBe(c.customersPkIndexed);

    const emailUnique = table('customers').indexes.filter((i) => i.unique && !i.primary);
    expect(emailUnique.map((i) => i.columns)).toEqual([[{ column: 'email' }]]);
  });

  it('reads expression and partial indexes where the dialect has them', () => {
    const lower = table('customers').indexes.find((i) => i.name === 'customers_lower_email_idx');
    expect(lower?.columns).toEqual(c.lowerEmailIndex === undefined ? undefined : [{ expression: c.lowerEmailIndex }]);
    const open = table('orders').indexes.find((i) => i.name === 'orders_open_idx');
    expect(open?.predicate).toBe(c.openOrdersPredicate);
    if (open) expect(open.columns).toEqual([{ column: 'ordered_at' }]);
  });

  it('reads views with their columns and definition', () => {
    const view = schema.views.find((v) => v.name === 'customer_order_counts');
    expect(view).toMatchObject({ schema: schema.name, materialized: false });
    expect(view?.columns.map((col) => col.name)).toEqual(['id', 'email', 'order_count']);
    expect(view?.definition).toMatch(/count\(.*id.*\)/i);
    expect(view?.definition).toMatch(/left join/i);
    expect(schema.views.filter((v) => v.materialized).map((v) => v.name)).toEqual(c.materializedViews);
    expect(schema.tables.some((t) => t.name === 'customer_order_counts')).toBe(false);
  });

  it('reads triggers', () => {
    expect(table('orders').triggers.map(({ name, timing, events }) => ({ name, timing, events }))).toEqual([c.trigger]);
    expect(table('orders').triggers[0]?.definition).toBeTruthy();
    expect(table('customers').triggers).toEqual([]);
  });

  it('reads routines, sequences and enums', () => {
    expect(schema.routines.map(({ schema: _s, ...r }) => r)).toEqual(c.routines);
    expect(schema.sequences.map(({ schema: _s, ...s }) => s)).toEqual(c.sequences);
    expect(schema.enums.map(({ schema: _s, ...e }) => e)).toEqual(c.enums);
  });

  it('lists constraints and indexes in name order, whatever order the catalog gave', () => {
    const sorted = (names: string[]) => [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const t of schema.tables) {
      for (const list of [t.foreignKeys, t.uniqueConstraints, t.checks, t.indexes]) {
        const names = list.map((x) => x.name ?? '');
        expect(names, `${t.name}`).toEqual(sorted(names));
      }
    }
  });

  it('reads comments where the dialect has them', () => {
    const customers = table('customers');
    expect(customers.comment).toBe(c.comments ? 'People who buy things' : undefined);
    expect(customers.columns.find((col) => col.name === 'email')?.comment).toBe(c.comments ? 'Login and contact address' : undefined);
    expect(table('orders').comment).toBeUndefined();
  });

  it('reads row estimates and sizes', () => {
    expect(table('customers').estimatedRows).toBe(3);
    expect(table('products').estimatedRows).toBe(2);
    for (const t of schema.tables) {
      expect(t.sizeBytes).toBeGreaterThan(0);
      // A table's size includes its indexes.
      expect(t.sizeBytes).toBeGreaterThanOrEqual(t.indexes.reduce((sum, i) => sum + (i.sizeBytes ?? 0), 0));
    }
  });
});

describe('introspection of a PostgreSQL database with several schemas', () => {
  let db: FixtureDatabase;
  beforeAll(async () => {
    db = await postgresFixture(testPgUrl());
    await db.exec(`
      create schema sales;
      create table sales.regions (code text primary key);
      create table sales.targets (region text not null references sales.regions (code), amount integer);
      create table public.partitioned_log (at date not null, note text) partition by range (at);
      create table public.partitioned_log_2024 partition of public.partitioned_log for values from ('2024-01-01') to ('2025-01-01');
      create schema empty_one;
      alter table public.orders drop column invoice_no;`);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('keeps each object in its schema, lists empty schemas and skips dropped columns, numbering the rest densely', async () => {
    const model = await introspectPostgres(db.q, db.database, db.serverVersion);
    expect(model.schemas.map((s) => s.name)).toEqual(['empty_one', 'public', 'sales']);
    const sales = model.schemas.find((s) => s.name === 'sales')!;
    expect(sales.tables.map((t) => t.name)).toEqual(['regions', 'targets']);
    expect(sales.tables[1]!.foreignKeys[0]).toMatchObject({ referencedSchema: 'sales', referencedTable: 'regions', referencedColumns: ['code'] });
    const pub = model.schemas.find((s) => s.name === 'public')!;
    expect(pub.tables.find((t) => t.name === 'partitioned_log')?.kind).toBe('partitioned');
    expect(pub.tables.find((t) => t.name === 'partitioned_log_2024')?.kind).toBe('table');
    const orders = pub.tables.find((t) => t.name === 'orders')!;
    expect(orders.columns.map((col) => col.name)).toEqual(['id', 'customer_id', 'status', 'ordered_at', 'total']);
    expect(orders.columns.map((col) => col.ordinal)).toEqual([1, 2, 3, 4, 5]);
    expect(model.schemas.some((s) => /^(pg_|information_schema)/.test(s.name))).toBe(false);
  });

  it('names the catalog query that failed, keeping the error code', async () => {
    const url = new URL(testPgUrl());
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await client.end();
    // A session that is gone: the real error of a real client, not a stand-in.
    const closed: Queryable = { query: async (sql, params) => ({ rows: (await client.query(sql, params as unknown[])).rows }) };
    const failure = introspectPostgres(closed, 'x', db.serverVersion);
    await expect(failure).rejects.toThrow(/Introspection query postgres\/schemas\.sql failed: .+/);
    await expect(failure).rejects.toMatchObject({ code: 'QUERY_FAILED' });
  });
});
