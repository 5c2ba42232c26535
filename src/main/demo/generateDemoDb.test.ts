import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { introspectSqlite } from '../db/introspect/introspectSqlite';
import { demoRowTargets, generateDemoDb } from './generateDemoDb';

const dir = mkdtempSync(join(tmpdir(), 'quarry-demo-'));
const first = join(dir, 'a', 'demo.sqlite');
const second = join(dir, 'b', 'demo.sqlite');

function open(path: string): Database.Database {
  return new Database(path, { readonly: true, fileMustExist: true });
}

function tableHash(db: Database.Database, table: string): string {
  const hash = createHash('sha256');
  for (const row of db.prepare(`select * from "${table}" order by 1, 2`).raw().iterate()) hash.update(JSON.stringify(row));
  return hash.digest('hex');
}

describe('generateDemoDb', () => {
  let db: Database.Database;

  beforeAll(() => {
    generateDemoDb(first);
    generateDemoDb(second);
    db = open(first);
  });

  afterAll(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the shop tables, a view and a trigger', () => {
    const objects = db.prepare("select type, name from sqlite_schema where name not like 'sqlite_%' order by type, name").all() as { type: string; name: string }[];
    const names = (type: string) => objects.filter((o) => o.type === type).map((o) => o.name);
    expect(names('table')).toEqual(['audit_events', 'categories', 'customers', 'inventory', 'order_items', 'orders', 'payments', 'products', 'reviews', 'suppliers', 'warehouses']);
    expect(names('view')).toEqual(['order_summaries']);
    expect(names('trigger')).toEqual(['orders_status_audit']);
    expect(names('index')).toContain('customers_email_idx');
    expect(names('index')).toContain('orders_customer_ordered_idx');
  });

  it('has consistent foreign keys and passes the integrity check', () => {
    expect(db.prepare('pragma foreign_key_check').all()).toEqual([]);
    expect(db.prepare('pragma integrity_check').pluck().get()).toBe('ok');
    const foreignKeys = db.prepare("select count(*) from sqlite_schema s join pragma_foreign_key_list(s.name) where s.type = 'table'").pluck().get() as number;
    expect(foreignKeys).toBeGreaterThanOrEqual(10);
  });

  it('holds about 100k rows, each table in its expected range', () => {
    const count = (table: string) => db.prepare(`select count(*) from "${table}"`).pluck().get() as number;
    for (const [table, target] of Object.entries(demoRowTargets)) expect(count(table), table).toBe(target);
    const orders = demoRowTargets.orders;
    expect(count('order_items')).toBeGreaterThan(orders * 1.8);
    expect(count('order_items')).toBeLessThan(orders * 2.8);
    expect(count('payments')).toBeGreaterThan(orders * 0.85);
    expect(count('payments')).toBeLessThan(orders);
    expect(count('inventory')).toBeGreaterThan(demoRowTargets.products * 2);
    const tables = db.prepare("select name from sqlite_schema where type = 'table' and name not like 'sqlite_%'").pluck().all() as string[];
    const total = tables.reduce((sum, t) => sum + count(t), 0);
    expect(total).toBeGreaterThan(90_000);
    expect(total).toBeLessThan(130_000);
  });

  it('has plausible values: two years of orders, NULLs, non-ASCII names, valid JSON', () => {
    const range = db.prepare('select min(ordered_at) as first, max(ordered_at) as last from orders').get() as { first: string; last: string };
    expect(range.first >= '2024-01-01').toBe(true);
    expect(range.last < '2026-01-01').toBe(true);
    expect(range.last > '2025-10-01').toBe(true);
    expect(db.prepare('select count(*) from customers where phone is null').pluck().get()).toBeGreaterThan(0);
    expect(db.prepare('select count(*) from products where attributes is null').pluck().get()).toBeGreaterThan(0);
    expect(db.prepare("select count(*) from customers where last_name glob '*[^ -~]*'").pluck().get()).toBeGreaterThan(0);
    expect(db.prepare('select count(*) from products where attributes is not null and json_valid(attributes) = 0').pluck().get()).toBe(0);
    expect(db.prepare("select count(*) from products where json_extract(attributes, '$.color') is not null").pluck().get()).toBeGreaterThan(0);
    const mismatched = db.prepare('select count(*) from orders o where abs(o.total - (select coalesce(sum(quantity * unit_price * (1 - discount)), 0) from order_items i where i.order_id = o.id)) > 0.05').pluck().get();
    expect(mismatched).toBe(0);
  });

  it('introspects into the SchemaModel the app will show', async () => {
    const q = { query: async (sql: string, params?: readonly unknown[]) => ({ rows: db.prepare(sql).all(...(params ?? [])) as Record<string, unknown>[] }) };
    const model = await introspectSqlite(q, first, '3');
    const [main] = model.schemas;
    expect(main?.tables).toHaveLength(11);
    const orders = main!.tables.find((t) => t.name === 'orders')!;
    expect(orders.estimatedRows).toBe(demoRowTargets.orders);
    expect(orders.indexes.find((i) => i.name === 'orders_customer_ordered_idx')?.columns).toEqual([{ column: 'customer_id' }, { column: 'ordered_at' }]);
    expect(orders.indexes.find((i) => i.name === 'orders_status_idx')?.predicate).toBe("status in ('pending', 'paid')");
    expect(orders.triggers.map((t) => [t.name, t.timing, t.events])).toEqual([['orders_status_audit', 'after', ['update']]]);
    const items = main!.tables.find((t) => t.name === 'order_items')!;
    expect(items.primaryKey?.columns).toEqual(['order_id', 'line_no']);
    expect(items.foreignKeys.map((fk) => [fk.referencedTable, fk.onDelete])).toEqual([['orders', 'cascade'], ['products', 'no action']]);
    expect(main!.views.map((v) => v.name)).toEqual(['order_summaries']);
    expect(main!.tables.reduce((n, t) => n + t.foreignKeys.length, 0)).toBeGreaterThanOrEqual(10);
  });

  it('is deterministic: two runs give the same rows', () => {
    const other = open(second);
    try {
      for (const table of ['customers', 'orders', 'order_items', 'products', 'audit_events']) expect(tableHash(other, table), table).toBe(tableHash(db, table));
    } finally {
      other.close();
    }
  });

  it('replaces an existing file atomically and leaves no temp files', () => {
    const target = join(dir, 'c', 'demo.sqlite');
    generateDemoDb(target, 7);
    generateDemoDb(target);
    expect(readdirSync(join(dir, 'c'))).toEqual(['demo.sqlite']);
    const replaced = open(target);
    try {
      expect(tableHash(replaced, 'customers')).toBe(tableHash(db, 'customers'));
    } finally {
      replaced.close();
    }
  });

  it('fails with a clear error, leaving nothing behind, when it cannot write', () => {
    const blocker = join(dir, 'blocked');
    writeFileSync(blocker, 'not a directory');
    expect(() => generateDemoDb(join(blocker, 'demo.sqlite'))).toThrow(/Could not generate the demo database at .*blocked/);
    expect(existsSync(join(blocker, 'demo.sqlite'))).toBe(false);
  });
});
