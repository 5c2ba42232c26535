import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialect } from '../../shared/domain/connection';
import type { SchemaModel } from '../../shared/domain/SchemaModel';
import { splitStatements } from '../../shared/sql/splitStatements';
import { StatementParser } from './parse/StatementParser';
import { SchemaTracker } from './SchemaTracker';
import { parseColumnType } from './types/parseColumnType';

let parser: StatementParser;
beforeAll(async () => {
  parser = await StatementParser.create();
});
afterAll(() => parser.dispose());

/** Feeds every statement of `sql` to the tracker, in order, through the real parser. */
function feed(tracker: SchemaTracker, sql: string, dialect: Dialect): SchemaTracker {
  for (const span of splitStatements(sql, dialect)) {
    const outcome = parser.parse(span.text, dialect);
    if (!outcome.ok) throw new Error(`fixture must parse: ${span.text}: ${outcome.message}`);
    for (const parsed of outcome.statements) tracker.apply(parsed);
  }
  return tracker;
}

describe('SchemaTracker on PostgreSQL', () => {
  const tracker = (sql: string) => feed(new SchemaTracker(), sql, 'postgres');

  it('knows the columns a CREATE TABLE makes, with their modifiers and nullability', () => {
    const t = tracker('CREATE TABLE orders (id bigint PRIMARY KEY, code varchar(20) NOT NULL UNIQUE, total numeric(12,2), at timestamptz(3), tags text[]);');
    expect(t.table('ORDERS')).toMatchObject({ name: 'orders', complete: true });
    expect(t.column('orders', 'id')).toEqual({ name: 'id', type: 'int8', notNull: true });
    expect(t.column('orders', 'code')).toEqual({ name: 'code', type: 'varchar', length: 20, notNull: true });
    expect(t.column('orders', 'total')).toEqual({ name: 'total', type: 'numeric', length: 12, scale: 2, notNull: false });
    expect(t.column('orders', 'at')).toMatchObject({ type: 'timestamptz', length: 3 });
    expect(t.column('orders', 'tags')).toMatchObject({ type: 'text', array: true });
    expect(t.indexesOn('orders').map((i) => ({ columns: i.columns, unique: i.unique, primary: i.primary }))).toEqual([
      { columns: ['id'], unique: true, primary: true },
      { columns: ['code'], unique: true, primary: false },
    ]);
  });

  it('follows ALTERs, renames, indexes and drops in order', () => {
    const t = tracker(`
      CREATE TABLE orders (id bigint, note varchar(50));
      ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new', ALTER COLUMN note TYPE varchar(200);
      ALTER TABLE orders ALTER COLUMN note SET NOT NULL;
      ALTER TABLE orders RENAME COLUMN note TO remark;
      CREATE UNIQUE INDEX orders_status_ux ON orders (status, remark);
      ALTER TABLE orders ADD CONSTRAINT orders_pk PRIMARY KEY (id);
      ALTER TABLE orders RENAME TO purchases;
      DROP INDEX orders_status_ux;
    `);
    expect(t.table('orders')).toBeUndefined();
    expect(t.table('purchases')?.columns.map((c) => c.name)).toEqual(['id', 'remark', 'status']);
    expect(t.column('purchases', 'remark')).toEqual({ name: 'remark', type: 'varchar', length: 200, notNull: true });
    expect(t.column('purchases', 'id')?.notNull).toBe(true);
    expect(t.index('orders_status_ux')).toBeUndefined();
    expect(t.index('orders_pk')).toMatchObject({ table: 'purchases', primary: true, columns: ['id'] });
  });

  it('keeps what an ALTER of an unseen table says, marked incomplete, and forgets a dropped table', () => {
    const t = tracker('ALTER TABLE legacy ADD COLUMN flag boolean;\nCREATE TABLE gone (a int);\nDROP TABLE gone;');
    expect(t.table('legacy')).toMatchObject({ complete: false });
    expect(t.column('legacy', 'flag')?.type).toBe('bool');
    expect(t.column('legacy', 'other')).toBeUndefined();
    expect(t.table('gone')).toBeUndefined();
  });

  it('leaves an existing table alone on CREATE TABLE IF NOT EXISTS', () => {
    const t = tracker('CREATE TABLE t (a int);\nCREATE TABLE IF NOT EXISTS t (b text);');
    expect(t.table('t')?.columns.map((c) => c.name)).toEqual(['a']);
  });
});

describe('SchemaTracker on MySQL', () => {
  it('reads MODIFY and CHANGE as the whole new column, with FIRST / AFTER', () => {
    const t = feed(
      new SchemaTracker(),
      `CREATE TABLE orders (id BIGINT UNSIGNED NOT NULL, status ENUM('new','paid') NOT NULL, total DECIMAL(12,2), UNIQUE KEY orders_total_uq (total), KEY orders_status_ix (status));
       ALTER TABLE orders MODIFY total DECIMAL(10,2) NULL AFTER id, ADD COLUMN note VARCHAR(40) FIRST;
       ALTER TABLE orders CHANGE status state ENUM('new','paid','shipped') NOT NULL;
       ALTER TABLE orders ADD INDEX orders_note_ix (note);`,
      'mysql',
    );
    expect(t.table('orders')?.columns.map((c) => c.name)).toEqual(['note', 'id', 'total', 'state']);
    expect(t.column('orders', 'id')).toEqual({ name: 'id', type: 'bigint', unsigned: true, notNull: true });
    expect(t.column('orders', 'total')).toEqual({ name: 'total', type: 'decimal', length: 10, scale: 2, notNull: false });
    expect(t.column('orders', 'state')).toEqual({ name: 'state', type: 'enum', values: ['new', 'paid', 'shipped'], notNull: true });
    expect(t.index('orders_status_ix')).toMatchObject({ columns: ['state'], unique: false });
    expect(t.index('orders_total_uq')).toMatchObject({ unique: true });
    expect(t.index('orders_note_ix')).toMatchObject({ table: 'orders', columns: ['note'], unique: false });
  });
});

describe('SchemaTracker seeded from a live schema', () => {
  const model: SchemaModel = {
    dialect: 'postgres',
    serverVersion: '16.2',
    database: 'shop',
    introspectedAt: '2026-01-01T00:00:00Z',
    schemas: [
      {
        name: 'public',
        views: [],
        routines: [],
        sequences: [],
        enums: [],
        tables: [
          {
            schema: 'public',
            name: 'orders',
            kind: 'table',
            columns: [
              { name: 'code', ordinal: 2, dataType: 'character varying(40)', nullable: false },
              { name: 'id', ordinal: 1, dataType: 'bigint', nullable: false },
              { name: 'placed_at', ordinal: 3, dataType: 'timestamp(3) with time zone', nullable: true },
            ],
            primaryKey: { name: 'orders_pkey', columns: ['id'] },
            uniqueConstraints: [],
            foreignKeys: [],
            checks: [],
            indexes: [{ name: 'orders_pkey', columns: [{ column: 'id' }], unique: true, primary: true, method: 'btree' }],
            triggers: [],
          },
        ],
      },
    ],
  };

  it('starts from the introspected tables and then follows the migrations', () => {
    const t = SchemaTracker.fromSchemaModel(model);
    expect(t.table('orders')?.columns.map((c) => c.name)).toEqual(['id', 'code', 'placed_at']);
    expect(t.column('orders', 'code')).toEqual({ name: 'code', type: 'varchar', length: 40, notNull: true });
    expect(t.column('orders', 'placed_at')).toMatchObject({ type: 'timestamptz', length: 3 });
    expect(t.indexesOn('orders')).toHaveLength(1);
    feed(t, 'ALTER TABLE orders ALTER COLUMN code TYPE varchar(10);', 'postgres');
    expect(t.column('orders', 'code')).toEqual({ name: 'code', type: 'varchar', length: 10, notNull: true });
  });

  it.each([
    ['numeric(12,2)', { type: 'numeric', length: 12, scale: 2 }],
    ['bigint(20) unsigned', { type: 'int8', length: 20, unsigned: true }],
    ["enum('new','it''s (odd)')", { type: 'enum', values: ['new', "it's (odd)"] }],
    ['integer[]', { type: 'int4', array: true }],
    ['TEXT', { type: 'text' }],
  ])('reads the catalog type %s', (text, parts) => {
    expect(parseColumnType(text)).toEqual(parts);
  });
});
